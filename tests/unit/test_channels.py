"""The log channel: what reaches the function log of a message sent with no provider configured."""
from frontdesk_core.delivery.channels import LOGGED_BODY, LogChannel, masked


def test_a_logged_number_shows_only_its_last_three_digits():
    assert masked("+15550100") == "+•••••100"
    assert masked("+44 20 7946 0321") == "+•• •• •••• •321"
    assert masked("12") == "••"


def test_the_log_never_holds_a_whole_message_or_number():
    lines = []
    body = "Following up on your call: Yes, bridal trials are $80 and take ninety minutes, with Sam."
    LogChannel(lines.append).send("+15550151", body)
    (line,) = lines
    assert "+15550151" not in line and "151" in line
    assert body not in line and body[:LOGGED_BODY].rstrip() in line and f"({len(body)} characters)" in line


def test_a_short_message_is_logged_as_it_is():
    lines = []
    LogChannel(lines.append).send("+15550151", "Yes, $80.")
    assert lines == ["message to +•••••151 (9 characters): Yes, $80."]
