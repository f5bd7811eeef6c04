"""English-language word classes the turn rules use: function words, fillers, social formulas,
clause openers. Nothing here names a salon's service, product or policy."""
from __future__ import annotations

import re

# Fillers speech-to-text writes and callers say; removed before a part is classified.
FILLERS = {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "hmm", "hm", "mm", "mmm", "ah", "eh", "huh",
           "po"}   # "po": Filipino English politeness particle ("how much po")
_FILLER = re.compile(r"^(?:u+[hm]+|e+r+m*|h+m+|m+|a+h+|e+h+|u+h+m+)$")


def is_filler(token: str) -> bool:
    """"um", "ermm", "hmmm": hesitation, however many letters speech-to-text gives it."""
    return token in FILLERS or bool(_FILLER.match(token))


# Words a caller adds to a social formula: "thanks man", "cheers love", "bye guys".
VOCATIVES = {"man", "mate", "love", "dear", "hun", "hon", "bro", "buddy", "sir", "ma'am", "maam", "guys",
             "y'all", "pal", "darling", "lad", "girl", "dude", "again", "then", "now", "so", "very", "much", "ever"}
VOCATIVES |= {"pet", "hen", "duck", "chuck", "petal", "fella", "sweetheart", "babe", "b'y", "honey", "sweetie", "sugar"}
# Terms of address a caller ends a question with ("how much is a fade mate", "... our kid"); dropped from
# what is looked up when nothing before them makes them a noun ("for our kid", "my little man").
ADDRESS = {("man",), ("mate",), ("love",), ("hun",), ("hon",), ("bro",), ("buddy",), ("pal",), ("darling",),
           ("lad",), ("dude",), ("sir",), ("ma'am",), ("maam",), ("guys",), ("y'all",), ("fella",), ("hen",),
           ("pet",), ("duck",), ("chuck",), ("petal",), ("sweetheart",), ("babe",), ("b'y",), ("our", "kid"), ("me", "duck"),
           ("my", "love"), ("my", "friend"), ("my", "dear")}
NOT_BEFORE_ADDRESS = {"a", "an", "the", "my", "your", "our", "his", "her", "their", "its", "this", "that", "these",
                      "those", "for", "to", "with", "of", "by", "from", "about", "little", "young", "old", "wee",
                      "big", "small", "older", "younger", "i", "we", "you", "they", "he", "she", "i'd", "we'd",
                      "would", "will", "some", "any", "each", "every", "per", "one", "two"}
LEAD_FILLERS = {"so", "well", "like", "basically", "actually", "anyway", "anyways", "just", "oh", "and",
                "also", "then", "now", "listen", "look", "quick", "question", "please", "sorry"}

AUX = {"do", "does", "did", "are", "is", "am", "was", "were", "can", "could", "will", "would", "should",
       "shall", "may", "might", "have", "has", "must", "isn't", "aren't", "don't", "doesn't", "didn't",
       "can't", "won't", "wouldn't", "couldn't", "shouldn't"}
WH = {"what", "what's", "whats", "when", "when's", "where", "where's", "wheres", "how", "how's", "hows",
      "which", "who", "who's", "why", "whose", "whereabouts"}
PRONOUN_SUBJECTS = {"i", "you", "we", "they", "he", "she", "it", "u", "ya", "y'all", "someone", "somebody",
                    "anyone", "anybody", "there", "that", "this", "your", "my", "our", "these", "those"}
DO_SUBJECTS = {"i", "you", "we", "they", "he", "she", "it", "u", "ya", "y'all", "anyone", "someone"}
CONJUNCTIONS = {"and", "also", "plus", "but", "oh", "then", "so"}   # not "or": "is it X or do I need Y" is one question
# Verbs common enough in callers' clauses to say "this clause already has its verb".
COMMON_VERBS = {"want", "wanna", "need", "have", "got", "get", "open", "opens", "close", "closes", "charge",
                "charges", "cost", "costs", "take", "takes", "book", "booked", "come", "coming", "called",
                "calling", "looking", "wondering", "like", "do", "does", "did", "is", "are", "was", "were",
                "said", "think", "know", "go", "went", "having", "make", "sell", "offer", "park", "pay"}
# "do you know when ...": a wh-word after these verbs or prepositions is embedded, not a new clause.
EMBEDDING = {"know", "tell", "ask", "asking", "wondering", "sure", "idea", "remember", "say", "show", "confirm", "remind",
             "explain", "about", "on", "of", "for", "to", "at", "in", "from", "check", "see", "out",
             "is", "that's", "matter", "depends", "by", "with"}

STOPWORDS = {
    "a", "an", "the", "and", "or", "but", "so", "if", "then", "of", "to", "in", "on", "at", "for", "with",
    "by", "from", "about", "as", "into", "up", "down", "out", "over", "off", "i", "me", "my", "mine", "you",
    "your", "yours", "we", "us", "our", "they", "them", "their", "he", "him", "his", "she", "her", "it",
    "its", "this", "that", "these", "those", "there", "here", "is", "are", "am", "was", "were", "be", "been",
    "being", "do", "does", "did", "have", "has", "had", "can", "could", "will", "would", "should", "shall",
    "may", "might", "must", "what", "when", "where", "how", "which", "who", "why", "whose", "not", "no",
    "yes", "any", "some", "all", "just", "very", "really", "too", "also", "like", "um", "uh", "oh", "ok",
    "okay", "yeah", "well", "i'm", "i'd", "i've", "i'll", "it's", "that's", "there's", "what's", "you're",
    "we're", "they're", "don't", "doesn't", "didn't", "can't", "won't", "guys", "ya", "u", "y'all", "hey",
    "hi", "hello", "please", "thanks", "thank", "now", "again", "one", "more", "thing", "stuff", "kind",
    "sort", "bit", "lot", "get", "got", "know", "mean", "say", "said", "wondering", "wanted", "want",
    "question", "ask", "tell", "hmm", "mm", "er", "erm", "uhm", "ah", "eh", "gonna", "wanna", "gotta",
    "think", "guess", "reckon", "suppose",
}

# Words that frame a question rather than say what it is about ("how much is ...", "do you offer ...").
FRAME = {"much", "many", "long", "price", "prices", "cost", "costs", "charge", "pay", "offer", "offers",
         "provide", "available", "kind", "type", "sort", "last", "lasts", "take", "takes", "about"}

# Social formulas, as token tuples. A formula marked "alone" counts only as the whole clause
# ("right", "morning", "no": inside a sentence they mean something else).
GREETINGS = ["hi", "hiya", "hello", "hey", "hey there", "hi there", "hello there", "hiya there",
             "good morning", "good afternoon", "good evening", "howdy", "how are you", "how are you doing",
             "how's it going", "hows it going", "how are you today", "how you doing", "you alright",
             "hope you're well", "hope you are well", "hello hello", "hey hey", "hi hi", "yo",
             "hi how are you", "hello how are you", "good day", "afternoon", "evening", "what's up", "whats up",
             "wassup", "sup", "yo what's up", "hey what's up", "morning", "alright mate",
             "you alright", "hiya love", "you ok", "you okay", "how are ya", "g'day", "g'day mate", "gday",
             "ey up", "ay up", "eh up",
             # answering "how are you" (the caller's side of small talk)
             "not bad", "not too bad", "not so bad", "can't complain", "mustn't grumble", "doing well",
             "doing good", "doing great", "doing alright", "very well", "i'm doing well", "i'm doing good"]
GREETINGS += [f"alright {' '.join(term)}" for term in ADDRESS]   # "alright mate", "alright duck", "alright our kid"
THANKS = ["thanks", "thank you", "thank you so much", "thanks so much", "thanks a lot", "thanks very much",
          "thank you very much", "thanks a bunch", "thanks a million", "cheers", "cheers mate", "ta",
          "many thanks", "much appreciated", "appreciate it", "i appreciate it", "i appreciate that",
          "thank u", "thx", "that's helpful", "that's very helpful", "that's really helpful",
          "that helps", "that's great thanks", "thank you kindly", "thanks again", "thank you again",
          "thanks for that", "thank you for that", "thanks for your help", "thank you for your help",
          "thanks for the help", "thank you for the help", "ta very much", "thanks love", "cheers love",
          "thank you ever so much", "thanks ever so much", "cheers for that", "cheers for your help", "ta muchly", "thanks a ton", "thanks heaps",
          "god bless", "god bless you", "bless you", "bless ya", "bless your heart", "bless you love"]
GOODBYES = ["bye", "goodbye", "good bye", "bye bye", "bye now", "bye for now", "see ya", "see you", "see you later",
            "see you soon", "talk to you later", "take care", "have a good day", "have a nice day",
            "have a good one", "have a great day", "have a lovely day", "have a good evening",
            "have a good night", "cheerio", "ta ta", "ta-ta", "that's all", "that's it", "that's everything",
            "that's all i needed", "that's all i need", "nothing else", "that'll be all", "that's all for now",
            "that's it for now", "that's all i wanted", "that's all i wanted to know", "no more questions",
            "i'm good", "i'm all set", "all set", "i'm all good", "that's me", "that's me done",
            "i think that's it", "i think that's all", "that should be it", "that's all thanks",
            "nope that's it", "no that's it", "no that's all", "no that's everything", "i'm done",
            "no i'm good", "no i'm fine", "i'm fine thanks", "no thank you", "no thanks", "nah i'm good",
            "speak soon", "laters", "later", "catch you later", "see you then", "nah that's it", "nah that's all",
            "nope that's all", "no that's fine", "ta ra", "tara", "that's me sorted", "i'm sorted",
            "that's me done thanks", "i'll let you go", "see you saturday", "see you sunday", "see you monday",
            "see you tuesday", "see you wednesday", "see you thursday", "see you friday", "see you tomorrow",
            "alrighty bye", "that's all i got", "that's all i've got", "that's all i have", "i'll let you get on"]
# Declining more help by saying one is fine ("I'm alright", "nah you're alright", "no that's grand").
_FINE = ["alright", "all right", "ok", "okay", "fine", "good", "grand", "sorted", "all good", "all set", "set"]
GOODBYES += [f"{no}{who} {state}" for no in ("", "no ", "nah ", "nope ", "no no ") for who in ("i'm", "we're")
             for state in _FINE]
GOODBYES += [f"{no}you're {state}" for no in ("", "no ", "nah ", "nope ") for state in ("alright", "all right", "fine")]
GOODBYES += [f"{no}you're {state}" for no in ("no ", "nah ", "nope ") for state in ("good", "ok", "okay", "grand")]
GOODBYES += [f"{no}that's {state}" for no in ("no ", "nah ", "nope ")
             for state in ("grand", "lovely", "perfect", "brilliant", "great", "fine", "everything", "all", "it", "me",
                           "me sorted", "me done", "all good")]
GOODBYES += [f"{no}{state}" for no in ("no ", "nah ", "nope ") for state in ("all good", "all set", "all sorted", "good",
                                                                              "fine", "sorted")]
# Announcing one more question ("oh and one more thing, is there parking"): dropped from the question.
_WHICH = ("one", "a", "another", "just one", "and one", "one other", "")
_MORE = ("more", "last", "other", "quick", "final", "")
ANNOUNCE = sorted({tuple(f"{a} {m} {n}".split()) for a in _WHICH for m in _MORE for n in ("thing", "question", "q")
                   if (a or m) and f"{a} {m}".strip() not in ("a", "one", "just one", "and one")}
                  | {("one", "more"), ("just", "one", "more"), ("quick", "one"), ("one", "last"), ("another", "one")},
                  key=len, reverse=True)
# Hedges before a formula: "no I think that's everything", "I reckon that's it".
HEDGES = [("i", "think"), ("i", "guess"), ("i", "reckon"), ("i", "suppose"), ("i", "believe")]
ACKS = ["yes", "yeah", "yep", "yup", "ya", "yes please", "yeah please", "ok", "okay", "k", "kk", "okey",
        "great", "perfect", "sure", "alright", "all right", "got it", "sounds good", "lovely", "brilliant",
        "cool", "fine", "mhm", "uh huh", "no worries", "no problem", "awesome", "fab", "fantastic",
        "excellent", "i see", "nice", "wonderful", "gotcha", "understood", "ok cool", "okay cool",
        "ok great", "okay great", "oh ok", "oh okay", "ah ok", "ah okay", "right", "right okay",
        "ok perfect", "okay perfect", "that's fine", "that's great", "that's perfect", "that's good",
        "good", "amazing", "super", "noted", "fair enough", "makes sense", "that makes sense",
        "oh right", "oh nice", "oh great", "oh lovely", "no", "nope", "nah", "not really", "hmm ok",
        "sweet", "ace", "grand", "smashing", "cheers for that", "ok then", "okay then", "right then",
        "oh really", "really", "i got it", "sounds great", "sounds perfect", "ok sounds good", "bet", "nice one", "spot on", "champion", "okey dokey", "okie dokie", "lovely jubbly", "that's brilliant",
        "that's lovely", "that's awesome", "alrighty", "brill", "right you are",
        "why not", "how no"]   # "how no": Scots "why not"
ALONE = {("right",), ("no",), ("nope",), ("nah",), ("really",), ("good",), ("fine",), ("super",),
         ("afternoon",), ("evening",), ("yo",), ("k",), ("kk",), ("ya",), ("sure",), ("great",), ("nice",),
         ("that's", "it"), ("not", "really"), ("oh", "really"), ("ace",), ("grand",), ("that's", "good"),
         ("that's", "fine"), ("all", "set"), ("later",), ("bet",), ("sup",), ("no", "that's", "fine"), ("morning",), ("alright",), ("alrighty",)}
# Small talk about the other speaker, by its shape: "how's your day going", "how have you been", "how are
# things", "hope you're keeping well", "you having a good day": a question or wish about how someone is or
# how their time is going, with nothing to look up. Answered like a greeting.
_TIME_OF = r"(?:day|morning|afternoon|evening|week|weekend|night|shift)"
SMALL_TALK = re.compile(
    r"^(?:and )?how(?:'s| is| are| has| have|'ve| was| were|'re| you| ya| u)?"
    r" (?:(?:your|ur|the) (?:\w+ ){0,2}?(?:\w+)(?: been)? (?:going|goin|been|doing|doin|treating you|going for you)(?: so far| today| then)?"
    r"|(?:your|ur|the) " + _TIME_OF + r"(?: been| going| so far)?|the form"   # Irish "how's the form"
    r"|(?:things|tricks|life|everything|it|she|you|ya|u|y'all|you all|you guys|yourself|yourselves|business|work)(?: been| going| goin| doing| doin| keeping| getting on"
    r"| holding up| treating you)?(?: with you| there| today| so far| then| at all| alright| ok| okay| well)?)$"
    r"|^(?:i )?hope (?:you're|you are|your (?:\w+ )?(?:is|'s)|you've been|you have been|all's|all is) (?:\w+ ){0,2}?"
    r"(?:well|good|ok|okay|fine|going well|keeping well|treating you well|having a (?:\w+ )?" + _TIME_OF + r")$"
    r"|^(?:are )?(?:you|ya|u) (?:having|keeping|doing|been) (?:a )?(?:\w+ )?(?:" + _TIME_OF + r"|well|good|ok|okay|alright)"
    r"(?: so far| today)?$")

# Seasonal wishes ("merry Christmas", "happy Friday"): greetings.
SEASONAL = re.compile(r"^(?:happy|merry) (?:christmas|xmas|new year|easter|holidays|hols|thanksgiving|halloween|"
                      r"hanukkah|diwali|eid|valentine's|valentines|mother's day|father's day|boxing day|bank holiday|"
                      r"canada day|fourth|4th|new year's|birthday|monday|tuesday|wednesday|thursday|friday|saturday|"
                      r"sunday|weekend|(?:st|saint) (?:patrick's|paddy's) day)(?: to you| everyone| to you all| love| mate)?$")
# Asking who or what the agent is ("are you a robot", "am I talking to a real person", "who am I speaking to").
IDENTITY = re.compile(
    r"^(?:(?:are|r) (?:you|u|ya) (?:a |an )?(?:real |actual )?(?:robot|bot|computer|machine|person|human|ai|"
    r"recording|person or a (?:robot|machine|computer)|human or a (?:robot|machine|computer))"
    r"|(?:am i|is this|is that|i'm) (?:talking|speaking|chatting) (?:to|with) (?:a |an )?(?:real |actual )?"
    r"(?:robot|bot|computer|machine|person|human|ai|recording)"
    r"|is (?:this|that) (?:a |an )?(?:real |actual )?(?:robot|bot|computer|machine|person|human|ai|recording)"
    r"|who (?:am i|is this|i'm) (?:speaking|talking) (?:to|with)|who's this|who is this|what's your name|"
    r"what is your name)$")
# A parting wish, by its shape: "have a blessed day", "you have a good one", "enjoy the rest of your week".
FAREWELL = re.compile(
    r"^(?:(?:you|y'all|you all|you guys|ya) )?(?:have|enjoy) (?:a |an |your |the rest of (?:your|the) )"
    r"(?:[a-z']+ ){0,2}?(?:" + _TIME_OF[3:-1] + r"|one|holiday|holidays|christmas|easter|evening)(?: now| then)?$")
# A verdict on what the agent said, by its shape: a pointing word with a modal or a verb of seeming, or such
# a verb with its subject left out ("that'd be great", "that'll do", "works for me", "sounds like a plan",
# "that's grand"): nothing asked.
VERDICT = re.compile(
    r"^(?:(?:that|this|it)(?:'ll|'d| will| would| should| could| does)(?: (?:be|do|work|suit|sound|look))?"
    r"|(?:that|this|it) (?:works|sounds|suits|seems|looks)|works|sounds|suits|seems|looks|that's(?= [a-z]+$))"
    r"(?: [a-z']+){0,4}$"
    # a thing named and found acceptable: "debit's fine", "cash is fine then", "the morning's good"
    r"|^(?:the |a )?[a-z]+(?:'s| is| are) (?:fine|ok|okay|good|grand|great|perfect|alright|all right)"
    r"(?: then| too| anyway| by me| with me| for me)?$")

# Booking changes by their shape. A verb of moving ("bump my appointment to next week"), a day or time
# "instead" ("could I do Thursday instead"), and not being able to come ("I can't make it on Saturday",
# "I won't be able to come in tomorrow"), which the salon takes as a cancellation to confirm.
MOVE_VERBS = r"(?:move|change|switch|swap|shift|push|bring|bump|prepone)"   # prepone: Indian English, bring forward
INSTEAD = re.compile(r"\b(?:make it|do|go for|come(?: in)?|have|book(?: it| me)?(?: in)?(?: for)?|switch(?: it)? to|"
                     r"change(?: it)? to)\b(?: [\w']+){0,4} instead\b")
MISS = re.compile(r"\b(?:can't|cannot|can not|won't|will not|not going to|not gonna|not be able to|won't be able to|"
                  r"unable to|not able to)(?: be able to)? (?:make|come|attend|get there|get in|do)\b"
                  r"(?: it| in| my| the| our| her| his| to)?")

# "No idea", "not sure": an answer that gives nothing.
DONT_KNOW = re.compile(r"^(?:(?:i )?(?:dunno|don't know|do not know|have no idea)|no idea|not sure|i'm not sure|"
                       r"i am not sure|no clue|not a clue|can't remember|i can't remember|i forget|"
                       r"doesn't matter|it doesn't matter|no preference)(?: really| yet| sorry| to be honest)?$")
# "Hang on", "two seconds": the caller is busy; nothing to act on.
HOLD = re.compile(r"^(?:(?:hang|hold) on(?: a (?:sec|second|minute|moment|tick))?|(?:one|two|a|just a) "
                  r"(?:sec|secs|second|seconds|minute|moment|tick)|wait(?: a (?:sec|second|minute))?(?: what)?|"
                  r"what|pardon|sorry what|come again|say that again|sorry say that again|"
                  r"(?:you're|you are|you were|you was|you keep|you kept|you|you just|i think you|the line's|the line is|"
                  r"the line was|it's|it is|it was|the signal's|the signal is|the connection's|this line's|"
                  r"the reception's|the line keeps|it keeps) (?:breaking|broke|cutting|cut|went|going|dropping|dropped)"
                  r" (?:up|out|off|in and out)(?: there| then| again| a bit| on me| for a (?:sec|second|moment))?"
                  r"|(?:i )?lost you(?: there| for a (?:sec|second|moment))?|"
                  r"(?:it's a |the line is |the line's )?(?:bad|terrible|crackly) line|the line is bad|"
                  r"i can't hear you|can you hear me(?: okay| ok| alright| now| better| there)*|are you still there|"
                  r"hello are you there|"
                  r"(?:let me|lemme) (?:just )?(?:pull over|grab|get|find|check|look at|turn|step|move|go)\b.*)$")

# Asking the agent to say its last words again ("what was that", "can you repeat that", "pardon"): they are.
REPEAT = re.compile(r"^(?:(?:sorry|pardon|eh|wait|oh) )?(?:what was that(?: again)?|what did you (?:just )?say|"
                    r"(?:can|could|would) you (?:please )?(?:repeat|say) (?:that|it|what you said)(?: again)?(?: please)?|"
                    r"(?:please )?repeat that(?: please)?|(?:say|said) that again(?: please)?|say again|"
                    r"i didn't (?:catch|hear|get) (?:that|what you said|you)|what|pardon|come again|you what|huh)$")


def _phrases(texts):
    return sorted({tuple(t.split()) for t in texts}, key=len, reverse=True)


SOCIAL = {"goodbye": _phrases(GOODBYES), "thanks": _phrases(THANKS), "greeting": _phrases(GREETINGS),
          "ack": _phrases(ACKS)}

# Preambles that announce a question ("I was wondering if ...", "quick question").
PREAMBLE = re.compile(
    r"^(?:(?:i was|i've been|i have been|i got|someone|somebody|my \w+) told(?: me)?(?: that)? (?=you|your|there|y'all|ya)|"
    r"(?:(?:i|i've|i have) (?:heard|read|saw|seen)|(?:someone|somebody|my \w+) (?:said|says|mentioned|heard))"
    r"(?: online| on (?:your|the) (?:website|site|page|instagram|facebook|app))?(?: that)? (?=you|your|there|y'all|ya)|"
    r"(?:i'm|i am|we're) after (?=(?:a |the |some )?(?:price|prices|quote|info|information|details|idea)\b)|"
    r"(?:i was|i'm|i am|was|just) (?:just )?wondering (?:if |whether |about )?|i wanted to (?:ask|know|check|find out)"
    r"(?: if| whether| about)? ?|i'd like to (?:ask|know|check|find out)(?: if| whether| about)? ?|"
    r"can i ask(?: you)?(?: if| whether| about)? ?|could i ask(?: you)?(?: if| whether| about)? ?|"
    r"(?:can|could) you tell me(?: if| whether| about)? ?|do you know(?: if| whether)? ?|"
    r"i have a (?:quick )?question(?: about| for you| on)? ?|(?:a )?quick question(?: about| for you)? ?|"
    r"i(?:'m| am) calling (?:to ask |about |to find out |to check |because )?(?:if |whether |about )?|"
    r"i need to (?:know|ask|check|find out)(?: if| whether| about)? ?|i want to (?:know|ask|check|find out)"
    r"(?: if| whether| about)? ?|tell me(?: about)? ?|any idea(?: if| whether)? ?|is it true(?: that)? ?)")

WORD = re.compile(r"\$?\d+(?:[.:]\d+)?(?:am|pm|st|nd|rd|th|s)?|[^\W\d_]+(?:'[^\W\d_]+)*|[.?!;,]")
VOWEL = re.compile(r"[aeiouy]")


def is_word(token: str) -> bool:
    """A plausible English word or number (not STT noise like "xkcd" or "hmmmmm")."""
    if token[0].isdigit() or token[0] == "$":
        return True
    bare = token.replace("'", "")
    if not VOWEL.search(bare) or re.search(r"[^aeiouy]{5,}", bare) or re.search(r"(.)\1\1", bare):
        return False
    return True


def lower_words(text: str) -> list[str]:
    """Lower-case words and numbers of a text ("What's a men's cut?" -> what's, a, men's, cut)."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())


def content_words(tokens) -> list[str]:
    return [t for t in tokens if t not in STOPWORDS and t not in FILLERS and t[0].isalnum() and is_word(t)
            and (len(t) > 1 or t.isdigit())]


# Dialect spellings of English function words (Scots, Irish, Maritime and Northern English, as speech-to-text writes them)
# read as the standard word; the caller's own spelling is kept for what the supervisor reads. Grammar
# words only: nothing here names a service or a salon.
DIALECT = {
    "tae": "to", "dae": "do", "ye": "you", "yous": "you", "youse": "you", "yiz": "you", "yez": "you", "yer": "your", "lemme": "let me", "gimme": "give me", "gie": "give", "gies": "give",
    "wi": "with", "naw": "no", "aye": "yes", "awright": "alright", "gonnae": "gonna", "wannae": "wanna",
    "cannae": "can't", "canny": "can't", "dinnae": "don't", "didnae": "didn't", "doesnae": "doesn't",
    "isnae": "isn't", "wasnae": "wasn't", "wouldnae": "wouldn't", "couldnae": "couldn't",
    "shouldnae": "shouldn't", "willnae": "won't", "havnae": "haven't", "havenae": "haven't",
}
# "the day", "the now", "the morra", "the night" closing a clause: today, now, tomorrow, tonight.
DIALECT_THE = {"day": "today", "now": "now", "morra": "tomorrow", "morrow": "tomorrow", "night": "tonight"}
