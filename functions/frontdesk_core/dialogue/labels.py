"""The kinds of part a caller's turn is made of."""
GREETING, THANKS, GOODBYE, ACK = "greeting", "thanks", "goodbye", "ack"
QUESTION, PERSON, BOOKING, NOT_CAUGHT = "question", "person", "booking", "not_caught"
LABELS = (GREETING, THANKS, GOODBYE, ACK, QUESTION, PERSON, BOOKING, NOT_CAUGHT)
SOCIAL = (GREETING, THANKS, GOODBYE, ACK)
