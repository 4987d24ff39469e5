"""The built-in negotiation lifecycle: seven states any negotiation goes through, and a reader that
tells which of them a sentence *asserts*.

A topic opts in with ``[topics.ID.status] lifecycle = "negotiation"``. The reader works from
English grammar and the general vocabulary of negotiations (truces, deals, talks, proposals,
breaches, escalation), never from the reports of one story:

* a state is recognised from a head word and its structure, with inflections and short gaps
  ("declared an Easter truce", "agreed to a 90-day truce", "talks on pause", "the deal is off");
* what a sentence does not assert does not count: questions; conditional clauses ("if talks
  resume"); negation ("no ceasefire has been agreed", "denied violating the truce"); modals,
  wishes and plans ("could agree a truce", "hopes for a deal", "plans to sign"). A hedged or
  planned agreement is weak evidence that a deal is *on the table* (talks proposed); one expected
  soon ("close to a deal", "set to sign") is weak evidence that talks are under way;
* a development told in a subordinate clause ("after the truce collapsed", "since the ceasefire
  began") is background: it counts, less;
* two kinds of development depend on what stands already, and are resolved when answering
  (``resolve``): an exchange of prisoners or hostages *implements* a truce in force, else it is a
  partial agreement; an escalation (new strikes, new tariffs, retaliation) *violates* a truce or
  deal in force, else it means there are no talks.

Why hand-written rules and not a parser: no dependency parser (spaCy, Stanza) is installed here, a
parser's model could not ship with its training script, and at ingest this must read every
sentence of every matching article in well under a millisecond. The rules are regular expressions
over the lower-cased sentence; every rule is a general English construction, written from the
lifecycle's definitions and our own example sentences (tests/core/test_lifecycle.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ASSERTED",
    "ASSERTIVE",
    "BACKGROUND",
    "CONTEXTUAL",
    "LIFECYCLES",
    "STANCE_WEIGHT",
    "WEAK",
    "Reading",
    "read_sentence",
    "resolve",
]

# The states, in order of precedence (a sentence asserting two counts for the first).
NEGOTIATION: tuple[tuple[str, str], ...] = (
    ("collapsed", "Truce violated or collapsed"),
    ("in_force", "Truce or deal declared / in force"),
    ("partial", "Partial agreement"),
    ("stalled", "Stalled or no progress"),
    ("no_talks", "No talks"),
    ("under_way", "Talks scheduled or under way"),
    ("proposed", "Talks proposed"),
)
LIFECYCLES: dict[str, tuple[tuple[str, str], ...]] = {"negotiation": NEGOTIATION}
ASSERTIVE = frozenset({"collapsed", "in_force", "partial"})  # states a sentence asserts (not a stance)

# Proposals and talks are mentioned in nearly every report of a negotiation, as its background; a
# development (a rejection, a deal, a breach) is the news: it weighs more in its report.
STANCE_WEIGHT = {"proposed": 0.6, "under_way": 0.8}

# Developments whose state depends on what already stands (see ``resolve``).
EXCHANGE = "~exchange"
ESCALATION = "~escalation"
CONTEXTUAL = (EXCHANGE, ESCALATION)

# How firmly a sentence asserts its state (``Reading.certainty``).
ASSERTED = 3  # in the main clause
BACKGROUND = 2  # in a subordinate clause ("after the truce collapsed")
WEAK = 1  # a lesser state read from a hedged, planned or expected one


def resolve(state_id: str, standing: str | None) -> str:
    """The state a contextual development means when ``standing`` is the state already reported."""
    if state_id == EXCHANGE:
        return "in_force" if standing == "in_force" else "partial"
    if state_id == ESCALATION:
        if standing in ("in_force", "partial"):
            return "collapsed"  # breaking what was agreed
        # with no talks reported, escalation means there are none; while talks go on, it is their
        # background and says nothing new
        return standing if standing is not None else "no_talks"
    return state_id


@dataclass(frozen=True, slots=True)
class Reading:
    state_id: str
    certainty: int
    start: int
    end: int


# --- vocabulary ---------------------------------------------------------------------------------
# Words that may not stand inside a gap: a gap is a noun phrase's pre-modifiers ("an Easter",
# "a 90-day", "a landmark peace"), never a new clause or phrase.
_STOP = (
    r"(?:to|of|on|in|at|for|from|with|by|into|onto|over|under|after|before|since|during|despite|against|"
    r"amid|about|than|as|and|or|but|nor|if|unless|while|whether|because|though|although|when|where|"
    r"that|which|who|whom|whose|what|he|she|it|they|we|i|you|is|are|was|were|be|been|being|has|have|"
    r"had|do|does|did|will|would|could|should|may|might|must|can|shall|not|no|never|n't|said|says|say)"
)
_WORD = r"[\w'%$.\-/]+"
_GAP = rf"(?:\s+(?!{_STOP}\b){_WORD}){{0,4}}?\s+"  # 0-4 modifiers, then a space
_DET = r"(?:\s+(?:a|an|the|its|their|his|her|this|that|any|all|further|new|fresh|another))?"

# what is negotiated: a truce or a deal
_TRUCE = (
    r"(?:cease-?\s?fires?|truces?|armistices?|treat(?:y|ies)|deals?(?!\s+with)|agreements?|accords?\b|pacts?|"
    r"d[ée]tente|(?:peace|political|negotiated)\s+settlement|"
    r"(?:pause|halt|stop|end)s?\s+(?:to|in|of)\s+(?:the\s+)?(?:fighting|hostilities|war|strikes|attacks|bombing|"
    r"tariffs|escalation))"
)
# the head of a noun phrase is its last noun: "a ceasefire proposal" is a proposal, "truce talks" are talks
_NOT_HEAD = (
    r"(?![\s-]+(?:proposals?|plans?|offers?|talks|negotiations?|negotiators|framework|drafts?|terms|efforts?|bids?|"
    r"push|road-?maps?|blueprints?|initiatives?|mediators|mediation|process|texts?|documents?|discussions|"
    r"demands?|conditions|ideas?|hopes?|prospects?|envoys?|deadline|negotiating)\b)"
)
_TRUCE_HEAD = rf"{_TRUCE}{_NOT_HEAD}"
_TALKS = (
    r"(?:talks|negotiations?|discussions|consultations|dialogue|mediation|diplomacy|summit|meetings?|"
    r"peace\s+process|negotiating\s+table)"
)
_PROPOSAL = (
    r"(?:proposals?|plans?|offers?|initiatives?|road-?maps?|blueprints?|drafts?|terms|conditions|demands?|"
    r"counter-?(?:proposals?|offers?)|ultimatums?|ideas?)"
)
_CAPTIVES = r"(?:prisoners|hostages|captives|detainees|pows|bodies|remains|soldiers|civilians|people)"
_PARTIAL_ADJ = (
    r"(?:partial|limited|interim|preliminary|mini|narrow|sectoral|framework|outline|energy|maritime|"
    r"black\s+sea|humanitarian)"
)
# an auxiliary chain between a subject and its predicate: "has not", "is due to", "appears to have"
_AUX = (
    r"(?:\s+(?:has|have|had|is|are|was|were|be|been|being|will|would|could|may|might|should|shall|must|can|"
    r"seems?|seemed|appears?|appeared|remains?|remained|looks?|looked|due|set|expected|likely|poised|about|"
    r"to|not|never|n't|also|now|finally|formally|officially|still|largely|broadly|mostly|already|just|"
    r"fully|effectively|reportedly|apparently|again|so\s+far|yet|quickly|effectively|since|then))*"
)
# a subject's short post-modifier: "the truce between Israel and Hamas", "the deal, which"
_POST = (
    r"(?:\s+(?:between|in|on|with|for|of|across|along|brokered\s+by|agreed\s+(?:on|in|last))"
    r"(?:\s+(?!(?:has|have|had|is|are|was|were|will|would|could|not)\b)[\w'.\-]+){1,4})?"
    r"(?:,\s+(?:which|that|who)\s+[^,;]{1,60},|,?\s+(?:which|that))?"
)

_REACH = (
    r"(?:agreed|agrees|agree|reached|reaches|reach|struck|strikes?(?=\s+(?:a|an)\b)|signed|signs|sign|sealed|"
    r"seals|seal|clinched|clinch(?:es)?|inked|inks|finali[sz]ed|finali[sz]es|concluded|concludes|announced|"
    r"announces|declared|declares|declare|brokered|brokers|broker|secured|secures|ratified|ratifies|"
    r"hammered\s+out|nailed\s+down|unveiled|forged|extended|extends|renewed|renews|restored|restores|"
    r"revived|formali[sz]ed)"
)


@dataclass(frozen=True, slots=True)
class _Rule:
    state_id: str
    pattern: re.Pattern[str]
    # how the words before the match change it: "reach" (an agreement reached: hedges demote it),
    # "effect" (a truce taking effect: "will" and "due to" still declare it), "event" (a development:
    # any hedge cancels it), "stance" (a proposal or call: hedges are its nature)
    kind: str
    negative: bool = False  # the rule's own words are negative ("no breakthrough"): no check inside


def _r(state: str, kind: str, pattern: str, *, negative: bool = False) -> _Rule:
    return _Rule(state, re.compile(pattern), kind, negative)


# one side accepting a plan is still a proposal (both sides accepting it: an agreement, see _judge)
_ACCEPT = _r(
    "proposed",
    "stance",
    r"\b(?:accepted|accepts|accept|welcomed|welcomes|backed|backs|endorsed|endorses|agreed\s+to|agreed\s+on|"
    rf"signed\s+off\s+on|embraced|embraces|approved)(?:\s+(?:the|a|an|its))?{_GAP}{_PROPOSAL}\b",
)
_RULES: tuple[_Rule, ...] = (
    # --- truce violated or collapsed -----------------------------------------------------------------
    _r(
        "collapsed",
        "event",
        rf"\b{_TRUCE}{_POST}{_AUX}\s+(?:collapsed|collapses|broke\s+down|broken\s+down|breaks\s+down|fell\s+apart|"
        r"falls\s+apart|ended|expired|lapsed|unrav(?:el|ell)ed|crumbled|shattered|in\s+tatters|violated|breached|"
        r"broken|scrapped|suspended|torn\s+up|abandoned|(?:is|are|was|were|been)\s+(?:now\s+)?(?:off|over|dead))\b",
    ),
    _r(
        "collapsed",
        "event",
        rf"\b(?:violat\w*|breach\w*|broke|breaks|break|breaking|tore\s+up|tears\s+up|tear\s+up|scrapped|scraps|"
        r"scrap|abandoned|abandons|pulled\s+out\s+of|pulls\s+out\s+of|withdrew\s+from|withdraws\s+from|"
        r"walked\s+away\s+from|walks\s+away\s+from|reneged\s+on|backed\s+out\s+of|ended|ends|end|suspended|"
        rf"suspends|terminated|terminates)(?:\s+(?:the|a|its|their|this))?{_GAP}{_TRUCE_HEAD}",
    ),
    _r(
        "collapsed",
        "event",
        rf"\b(?:collapse|breakdown|violations?|breach(?:es)?|breaking|expiry|end)\s+of\s+(?:the\s+|a\s+|its\s+)?"
        rf"(?:\S+\s+){{0,3}}?{_TRUCE}\b|\b{_TRUCE}\s+(?:violations?|breach(?:es)?|collapse|breakdown)\b|\bin\s+breach\s+of\b",
    ),
    _r(
        "collapsed",
        "event",
        r"\b(?:resum\w+|restart\w*|renew\w+)\s+(?:the\s+|its\s+|their\s+|full-scale\s+)?(?:\w+\s+)?(?:war|fighting|"
        r"offensive|hostilities|bombardment|bombing|combat|military\s+operations|air\s+strikes|airstrikes)\b|"
        r"\b(?:fighting|hostilities|war|bombing|bombardment|shelling)\s+(?:has\s+|have\s+|had\s+)?"
        r"(?:resumed|restarted|erupted\s+again|returned)\b",
    ),
    _r("collapsed", "event", rf"\bdespite\s+(?:the\s+|a\s+)?(?:\S+\s+){{0,2}}?{_TRUCE}\b"),
    # --- truce or deal declared / in force -------------------------------------------------------------
    _r("in_force", "reach", rf"\b{_REACH}(?:\s+(?:to|on|upon))?{_DET}{_GAP}{_TRUCE_HEAD}"),
    _r(
        "in_force",
        "reach",
        rf"\b{_REACH}(?:\s+(?:to|on|upon))?{_DET}{_GAP}(?:first|initial)\s+(?:phase|stage)\s+of\s+(?:the\s+|a\s+)?"
        rf"(?:\S+\s+){{0,2}}?(?:{_TRUCE}|{_PROPOSAL})\b",
    ),
    _r(
        "in_force",
        "reach",
        rf"\b{_TRUCE}{_POST}{_AUX}\s+(?:been\s+)?(?:agreed|reached|struck|signed|sealed|clinched|finali[sz]ed|"
        r"concluded|announced|declared|brokered|secured|approved|ratified|extended|renewed|restored|"
        r"back\s+on)\b",
    ),
    _r(
        "in_force",
        "effect",
        rf"\b{_TRUCE}{_POST}{_AUX}\s+(?:took|takes|take|taking|taken|came|comes|come|coming|went|goes|go|going|gone|"
        r"entered|enters|enter|entering)\s+(?:(?:into|in)\s+)?(?:effect|force)\b|"
        rf"\b{_TRUCE}{_POST}{_AUX}\s+(?:began|begins|begin|beginning|begun|started|starts|start|"
        r"took\s+hold|takes\s+hold|kicked\s+in|holds|held|holding|in\s+place|in\s+effect|in\s+force|intact|"
        r"went\s+ahead|goes\s+ahead)\b",
    ),
    _r(
        "in_force",
        "presupposed",  # a truce taken for granted: context, not a development (weak)
        rf"\b(?:under|during|since|throughout|amid)\s+(?:the|a|this)\s+(?:\S+\s+){{0,3}}?{_TRUCE}\b|"
        r"\b(?:current|existing|ongoing|fragile|shaky|tenuous|uneasy|[\w]+-(?:day|week|month)-old|"
        rf"hard-won|holding|first-phase|first\s+phase\s+of\s+the)\s+{_TRUCE}\b|\bfirst\s+phase\s+of\s+(?:the\s+|a\s+)?"
        rf"(?:\S+\s+){{0,2}}?{_TRUCE}\b",
    ),
    # --- partial agreement ---------------------------------------------------------------------------
    _r(
        "partial",
        "reach",
        rf"\b{_REACH}(?:\s+(?:to|on|upon))?{_DET}{_GAP}?(?:{_PARTIAL_ADJ}\s+(?:\S+\s+)?{_TRUCE}|frameworks?|"
        r"agreement\s+in\s+principle|(?:prisoner|hostage|captive|detainee|pow)s?[\s-](?:swaps?|exchanges?|"
        r"releases?|deals?))\b",
    ),
    _r(
        "partial",
        "reach",
        rf"\b(?:{_PARTIAL_ADJ}\s+{_TRUCE}|frameworks?|(?:prisoner|hostage|captive|detainee|pow)s?[\s-]"
        rf"(?:swaps?|exchanges?|release\s+deals?)){_POST}{_AUX}\s+(?:been\s+)?(?:agreed|reached|struck|signed|"
        r"sealed|announced|approved|completed|carried\s+out|took\s+place|went\s+ahead|began)\b",
    ),
    _r(
        "partial",
        "reach",
        r"\b(?:agreed|agrees|agree)\s+to\s+(?:cut|lower|reduce|slash|roll\s+back|suspend|pause|lift|ease|remove|"
        r"waive|exempt|delay|halt)\s+(?:\S+\s+){0,3}?(?:tariffs?|duties|levies|sanctions|export\s+controls|"
        r"restrictions|curbs|strikes|attacks)\b",
    ),
    _r(
        EXCHANGE,
        "event",
        rf"\b(?:released|releases|freed|frees|exchanged|exchanges|swapped|swaps|handed\s+over|hands\s+over|"
        rf"returned|returns|traded|trades)\s+(?:\S+\s+){{0,3}}?{_CAPTIVES}\b|"
        rf"\b(?:release|exchange|swap|handover|return)s?\s+of\s+(?:\S+\s+){{0,3}}?{_CAPTIVES}\s+(?:took\s+place|began|"
        r"went\s+ahead|was\s+completed|were\s+completed|continued)\b|"
        rf"\b{_CAPTIVES}\s+(?:were|was|have\s+been|had\s+been)\s+(?:released|freed|exchanged|swapped|handed\s+over|"
        r"returned)\b",
    ),
    # --- stalled or no progress ----------------------------------------------------------------------
    _r(
        "stalled",
        "event",
        rf"\b{_TALKS}{_POST}{_AUX}\s+(?:stalled|stall|stalls|stalling|deadlocked|stuck|faltered|falter|floundered|"
        r"snagged|foundered|hit\s+(?:a|an)\s+(?:wall|snag|roadblock|dead\s+end|stumbling\s+block|impasse)|"
        r"reached\s+(?:a|an)\s+(?:impasse|deadlock|dead\s+end)|ended\s+without|broke\s+up\s+without|"
        r"concluded\s+without|wrapped\s+up\s+without|closed\s+without|went\s+nowhere|failed|"
        r"made\s+(?:little|no|scant)\s+(?:headway|progress)|dragged\s+on|drag\s+on|at\s+an\s+impasse|"
        r"at\s+a\s+standstill|in\s+limbo|on\s+the\s+rocks|bogged\s+down)\b",
        negative=True,
    ),
    _r(
        "stalled",
        "event",
        r"\b(?:no|without\s+(?:a|any)|little|scant|slow|limited)\s+(?:sign\s+of\s+(?:a\s+|any\s+)?)?"
        r"(?:breakthrough|progress|headway|consensus)\b|\bwithout\s+(?:a|an|any)\s+(?:deal|agreement|accord)\b|"
        r"\bno\s+(?:deal|agreement)\s+(?:was|has\s+been|had\s+been|is)\s+(?:reached|agreed|struck|in\s+sight)\b",
        negative=True,
    ),
    _r(
        "stalled",
        "event",
        r"\b(?:failed|fail|fails|failing)\s+to\s+(?:reach|agree|secure|clinch|produce|yield|make|bridge|break|seal|"
        r"strike|finali[sz]e|conclude|narrow|resolve|deliver|achieve)\b|\b(?:has|have|had)\s+yet\s+to\s+"
        r"(?:reach|agree|sign|accept|respond|deliver)\b",
        negative=True,
    ),
    _r(
        "stalled",
        "event",
        r"\b(?:rejected|rejects|reject|rejecting|rebuffed|rebuffs|rebuff|spurned|turned\s+down|turns\s+down|"
        r"turn\s+down|refused|refuses|refuse|declined|balked\s+at|shot\s+down|dismissed|dismisses)"
        rf"(?:\s+(?:the|a|an|its|their|any|this|that))?{_GAP}(?:{_PROPOSAL}|{_TRUCE}|calls?)\b",
        negative=True,
    ),
    _r(
        "stalled",
        "event",
        r"\b(?:impasse|deadlock|stalemate|standstill|logjam|sticking\s+points?|stumbling\s+blocks?|stalling|"
        r"unacceptable|non-starter|dead\s+on\s+arrival|unresolved)\b|"
        r"\b(?:stalled|deadlocked|faltering|stuck|floundering|troubled|fraught)\s+(?:\S+\s+)?(?:talks|negotiations|"
        r"process|efforts|diplomacy)\b|\b(?:still|yet)\s+no\s+(?:deal|agreement|breakthrough)\b|"
        r"\b(?:accus\w+|blam\w+)\s+(?:\S+\s+){0,4}?(?:of|for)\s+(?:blocking|obstructing|stalling|sabotaging|"
        r"undermining|delaying|derailing|torpedoing|the\s+(?:lack\s+of\s+progress|deadlock|impasse|failure))\b|"
        r"\b(?:remain(?:ed|s)?|are|were|still)\s+(?:\w+\s+)?(?:far\s+apart|divided|at\s+odds)\b|"
        r"\b(?:gaps|differences|disagreements|disputes)\s+(?:remain|remained|persist|persisted)\b",
        negative=True,
    ),
    # --- no talks ------------------------------------------------------------------------------------
    _r(
        "no_talks",
        "event",
        r"\bno\s+(?:direct\s+|formal\s+|new\s+|further\s+|immediate\s+|serious\s+|substantive\s+|official\s+)?"
        r"(?:talks|negotiations|dialogue|contacts?|meetings?|negotiators)\b|\bnot\s+(?:negotiating|in\s+talks|"
        r"talking\s+to)\b|\bno\s+plans?\s+(?:for\s+talks|to\s+(?:meet|negotiate|talk|hold\s+talks))\b",
        negative=True,
    ),
    _r(
        "no_talks",
        "event",
        r"\b(?:refused|refuses|refuse|refusing|declined|declines|rejected|rejects|ruled\s+out|rules\s+out|"
        r"rule\s+out|ruling\s+out)\s+(?:to\s+(?:negotiate|talk|meet|engage|sit\s+down|hold\s+talks|resume\s+talks)|"
        r"(?:any\s+|direct\s+|further\s+|new\s+|the\s+)?(?:talks|negotiations|dialogue|contacts?|meetings?))\b",
        negative=True,
    ),
    _r(
        "no_talks",
        "event",
        rf"\b{_TALKS}{_POST}{_AUX}\s+(?:been\s+)?(?:called\s+off|cancell?ed|suspended|postponed|put\s+on\s+(?:hold|ice)|"
        r"on\s+(?:hold|ice|pause)|paused|halted|frozen|broken\s+off|broke\s+off|collapsed|broke\s+down|"
        r"broken\s+down|abandoned|scrapped|shelved|(?:is|are|was|were|been)\s+(?:now\s+)?(?:off|over))\b",
    ),
    _r(
        "no_talks",
        "event",
        r"\b(?:called\s+off|calls\s+off|cancell?ed|cancels|suspended|suspends|postponed|postpones|halted|halts|froze|"
        r"freezes|paused|pauses|broke\s+off|breaks\s+off|break\s+off|abandoned|shelved|pulled\s+out\s+of|"
        r"pulls\s+out\s+of|withdrew\s+from|withdraws\s+from|walked\s+out\s+of|walks\s+out\s+of|walked\s+away\s+from|"
        r"walks\s+away\s+from|quit|quits|left|leaves)\s+(?:the\s+|its\s+|their\s+|all\s+|further\s+)?"
        r"(?:\w+\s+)?(?:talks|negotiations|dialogue|negotiating\s+table|table)\b",
    ),
    _r(
        "no_talks",
        "event",
        r"\b(?:recalled|recalls|recall|recalling|pulled|pulls|withdrew|withdraws|summoned\s+home|brought\s+home)\s+"
        r"(?:its|their|the|his|her)\s+(?:\w+\s+)?(?:negotiators|negotiating\s+team|delegations?|envoys?|"
        r"negotiation\s+team)\b",
    ),
    _r(
        ESCALATION,
        "event",
        r"\b(?:impos\w+|rais\w+|hik\w+|slapp\w+|levied|levies|levy|reimpos\w+|doubl\w+|tripl\w+|increas\w+)\s+"
        r"(?:\S+\s+){0,3}?(?:tariffs?|duties|levies|sanctions|export\s+controls|curbs)\b|"
        r"\b(?:retaliat\w+|escalat\w+|counter-?measures|tit-for-tat)\b|"
        r"\b(?:launched|launches|carried\s+out|intensified|intensifies|stepped\s+up|steps\s+up|expanded|expands|"
        r"escalated|escalates|unleashed)\s+(?:\S+\s+){0,3}?(?:strikes|airstrikes|attacks|offensive|bombardment|"
        r"assault|operations|raids|shelling|barrage)\b",
    ),
    # --- talks scheduled or under way ----------------------------------------------------------------
    _r(
        "under_way",
        "talks",
        r"\b(?:held|holds|hold|holding|conducted|conducts|began|begins|begin|started|starts|resumed|resumes|"
        r"resume|opened|opens|launched|launches|entered|enters|joined|joins|attended|attends|convened|convenes|"
        r"continued|continues|wrapped\s+up|kicked\s+off|are\s+in|were\s+in|was\s+in|is\s+in|engaged\s+in|"
        r"took\s+part\s+in|taking\s+part\s+in)(?:\s+(?:a|an|the|their|its|new|fresh|another|further|more|"
        r"direct|indirect|face-to-face|high-level|marathon|intensive|formal|first|second|third|fourth|fifth|"
        r"final|latest|next|key|crucial|closed-door|[\w-]+-day|[\w-]+-hour|[\w-]+-level|peace|trade|ceasefire|"
        r"truce|tariff))*(?:\s+(?:round|rounds)\s+of)?\s+(?:talks|negotiations|discussions|consultations|"
        r"dialogue|meetings?|summit)\b",
    ),
    _r(
        "under_way",
        "talks",
        rf"\b{_TALKS}{_POST}{_AUX}\s+(?:began|begin|begins|started|start|starts|resumed|resume|resumes|opened|"
        r"continued|continue|continues|continuing|ongoing|under\s?way|(?:were|are|was|is|will\s+be|to\s+be)\s+"
        r"(?:being\s+)?held|took\s+place|take\s+place|kicked\s+off|got\s+under\s+way|scheduled|planned|slated|"
        r"progressed|progressing|made\s+progress|making\s+progress|gathered\s+pace|moved\s+forward|"
        r"advanced|intensified|convened)\b",
    ),
    _r("under_way", "talks", rf"\b(?:round|rounds|session|sessions)\s+of\s+(?:\S+\s+){{0,2}}?{_TALKS}\b"),
    _r(
        "under_way",
        "talks",
        r"\b(?:delegations?|negotiators|negotiating\s+teams?|envoys?|mediators|ministers|leaders|teams?)"
        r"(?:\s+(?:from|of)\s+(?:\S+\s+){1,3}?)?(?:\s+(?:have|had|will|also|then|are|were))?\s+(?:met|meet|meets|"
        r"meeting|arrived|arrives|gathered|gather|travell?ed|flew|sat\s+down|convened|negotiated|negotiating|"
        r"held\s+talks)\b",
    ),
    _r(
        "under_way",
        "talks",
        r"\b(?:are|were|is|was|been|continue|continued|continues|remain|remained|still)\s+(?:\w+\s+)?"
        r"(?:negotiating|in\s+talks|in\s+negotiations|holding\s+talks)\b",
    ),
    _r(
        "under_way",
        "talks",
        r"\b(?:close\s+to|closer\s+to|nearing|neared|near|on\s+the\s+verge\s+of|on\s+the\s+cusp\s+of|edg\w+\s+"
        r"(?:closer\s+)?(?:to|towards?)|within\s+reach\s+of|inch\w*\s+(?:closer\s+)?(?:to|towards?))\s+"
        rf"(?:(?:a|an|the|reaching|agreeing|securing|striking|sealing|finali[sz]ing)\s+)*(?:\S+\s+){{0,2}}?{_TRUCE}\b",
    ),
    _r(
        "under_way",
        "talks",
        r"\b(?:progress|breakthrough|headway)\s+(?:was\s+made\s+)?(?:in|at|during|on)\s+(?:the\s+)?(?:\S+\s+){0,2}?"
        r"(?:talks|negotiations)\b|\b(?:presented|handed|submitted|circulated|delivered|sent)\s+(?:\S+\s+){0,3}?"
        r"(?:draft|response|reply|counter-?proposal|counter-?offer|amendments)\b",
    ),
    # --- talks proposed ------------------------------------------------------------------------------
    _r(
        "proposed",
        "stance",
        r"\b(?:proposed|proposes|propose|proposing|floated|floats|float|tabled|offered|offers|offering|"
        r"put\s+forward|puts\s+forward|putting\s+forward|unveiled|unveils|presented|presents|submitted|"
        r"laid\s+out|outlined|outlines|pitched|suggested|suggests)(?:\s+(?:a|an|the|its|their|new|fresh))?"
        rf"{_GAP}(?:{_TRUCE}|{_TALKS}|{_PROPOSAL}|swaps?|exchanges?)\b",
    ),
    _r(
        "proposed",
        "stance",
        rf"\b(?:peace|ceasefire|cease-fire|truce|trade|tariff|hostage|prisoner)\s+(?:{_PROPOSAL}|bid|push|efforts?)\b|"
        rf"\b{_PROPOSAL}\s+(?:for|on|to\s+(?:end|halt|stop|secure|reach|broker))\s+(?:(?:a|an|the)\s+)?"
        rf"(?:\S+\s+){{0,2}}?(?:{_TRUCE}|{_TALKS}|peace)\b",
    ),
    _r(
        "proposed",
        "stance",
        r"\b(?:call(?:ed|s|ing)?|appeal(?:ed|s|ing)?|push(?:ed|es|ing)?|press(?:ed|es|ing)?|urg(?:ed|es|ing|e)|"
        r"demand(?:ed|s|ing)?|seek(?:s|ing)?|sought|want(?:s|ed)?|hope(?:s|d)?|hoping|lobb(?:ied|ies|ying)|"
        r"advocat\w+|work(?:ed|ing|s)?|striv\w+|efforts?|bids?)\s+(?:for|towards?|to\s+(?:secure|reach|broker|"
        r"agree|negotiate|revive|restart|resume|hold|start|open|end))?(?:\s+(?:a|an|the|new|fresh|direct|"
        rf"immediate|lasting|permanent))?{_GAP}(?:{_TRUCE}|{_TALKS})\b",
    ),
    _r(
        "proposed",
        "stance",
        r"\b(?:open|ready|willing|prepared|keen|eager)\s+to\s+(?:(?:hold|resume|restart|start|begin|enter)\s+)?"
        r"(?:talks|negotiat\w+|discuss\w*|talk|dialogue|a\s+deal|an\s+agreement|a\s+ceasefire|a\s+truce|meet|"
        r"sit\s+down)\b|\b(?:invited|invites|invite)\s+(?:\S+\s+){0,3}?(?:to\s+)?(?:talks|negotiat\w+|the\s+table)\b",
    ),
    _ACCEPT,
    _r(
        "proposed",
        "stance",
        rf"\b(?:possible|potential|proposed|prospective|would-be|hoped-for|mooted|future)\s+(?:\S+\s+){{0,2}}?{_TRUCE}\b|"
        rf"\b(?:prospects?|chances?|hopes?)\s+(?:of|for)\s+(?:(?:a|an|the|any)\s+)?(?:\S+\s+){{0,2}}?{_TRUCE}\b",
    ),
)
_ORDER = {state: i for i, (state, _) in enumerate(NEGOTIATION)}
_ORDER[EXCHANGE] = _ORDER["partial"]
_ORDER[ESCALATION] = _ORDER["no_talks"]

# --- what the words before a match do to it -----------------------------------------------------------
_CLAUSE = re.compile(r"[,;:()\[\]—–]|\s-\s|\b(?:but|however|although|though|whereas|yet)\b")
_SUBORDINATE = re.compile(
    r"\b(?:after|since|following|before|until|when|whenever|once|which|who|whose|where)\b|^\s*(?:and\s+)?as\b"
)
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether|provided\s+that|in\s+case|in\s+the\s+event)\b|^\s*should\b")
_NEGATION = re.compile(
    r"\b(?:not|n't|never|no|nor|neither|without|hardly|barely|yet\s+to|den(?:y|ies|ied|ying)|dismiss\w*|"
    r"rul(?:e|es|ed|ing)\s+out|refus\w*|declin\w*|reject\w*|fail\w*|rebuff\w*)\b|n't\b"
)
_PLAIN_NOT = re.compile(r"\b(?:not|never)\b|n't\b")
_FAILURE = re.compile(r"\b(?:fail\w*|yet\s+to|without)\b")
_MODAL = re.compile(r"\b(?:would|could|might|may|can|should|must|shall|cannot)\b")
_WISH = re.compile(
    r"\b(?:hop\w*|aim\w*|seek\w*|sought|want\w*|wish\w*|plan(?:s|ned|ning)?|intend\w*|tr(?:y|ies|ied|ying)|"
    r"attempt\w*|bid|push\w*|press\w*|call\w*\s+(?:for|on)|urg\w*|demand\w*|ask\w*|efforts?|propos\w*|offer\w*|"
    r"possible|possibly|potential(?:ly)?|prospects?|chances?|ready|willing|prepared|open\s+to|keen|eager|"
    r"threat\w*|warn\w*|insist\w*|need\w*|pressure\w*|encourag\w*|invit\w*|seeking|would-be|draft|"
    r"work\w*\s+(?:to|towards?|on)|talks?\s+(?:on|about|over)|negotiat\w*\s+(?:on|over|a|an|the))\b"
)
_EXPECT = re.compile(
    r"\b(?:will|'ll|expect\w*|set\s+to|due\s+to|poised\s+to|likely|about\s+to|close\s+to|closer\s+to|near\w*|"
    r"verge|cusp|on\s+track|edg\w+|toward\w*|before|ahead\s+of|until|till|by\s+the\s+time|prior\s+to|"
    r"soon|imminent\w*)\b"
)
_JOINT = re.compile(r"\b(?:both|two\s+sides|two\s+parties|the\s+parties|the\s+sides|each\s+other)\b|\w\s+and\s+\w")
_IMPLICATIVE = re.compile(r"\b(?:agreed|agrees|agree|decided|decides|voted|votes|moved|managed|went\s+on)\s+$")


def _clause_start(low: str, at: int) -> int:
    start = 0
    for m in _CLAUSE.finditer(low, 0, at):
        start = m.end()
    return start


def _clause_end(low: str, at: int) -> int:
    m = _CLAUSE.search(low, at)
    return m.start() if m else len(low)


def _judge(rule: _Rule, low: str, m: re.Match[str]) -> tuple[str, int] | None:
    """The state and certainty this match asserts, or None when the sentence does not assert it."""
    clause = _clause_start(low, m.start())
    before = low[clause : m.start()]
    words = before.split()
    near = " ".join(words[-7:])  # the words that govern the match
    if _CONDITIONAL.search(low, 0, m.start()) or _CONDITIONAL.search(low, m.end(), _clause_end(low, m.end())):
        return None  # "if talks resume", "a deal will follow if ...": a condition asserts nothing
    inside = m.group(0)
    if rule.negative:  # its own words are negative: only a plain "not" inside turns it round
        negated = bool(_NEGATION.search(near) or (not inside.startswith("not") and _PLAIN_NOT.search(inside)))
    else:
        negated = bool(_NEGATION.search(near) or _NEGATION.search(inside))
    state, certainty = rule.state_id, ASSERTED
    if _SUBORDINATE.search(near) or _SUBORDINATE.search(before[:12]):
        certainty = BACKGROUND
    infinitive = bool(re.search(r"\bto\s*$", before))
    if infinitive and _IMPLICATIVE.search(before[: before.rstrip().rfind("to")] if "to" in before else ""):
        infinitive = False  # "agreed to sign a truce" asserts it
    if negated:
        if rule.kind == "reach" and (_FAILURE.search(near) or _FAILURE.search(inside)):
            return "stalled", ASSERTED  # "failed to reach a deal"
        return None
    modal = bool(_MODAL.search(near) or _MODAL.search(inside))
    wish = bool(_WISH.search(near))
    expect = bool(_EXPECT.search(near) or _EXPECT.search(inside))
    if rule.kind == "reach":
        if modal or wish or (infinitive and not expect):
            return "proposed", WEAK  # a deal on the table, not reached
        if expect:
            return "under_way", WEAK  # a deal expected: talks are going on
    elif rule.kind == "effect":
        if modal or wish:
            return "proposed", WEAK
        # "the truce will take effect on Sunday", "is due to begin": a truce declared
    elif rule.kind in ("event", "presupposed"):
        if modal or wish or expect or infinitive:
            return None  # "could collapse", "threatened to walk out", "before the truce expires"
        if rule.kind == "presupposed" or state == ESCALATION:
            certainty = WEAK  # a truce taken for granted, an escalation: context more than a development
    elif rule.kind == "talks":
        if modal or (wish and not expect):
            return "proposed", ASSERTED if wish else WEAK  # "called for talks to resume"
        # "will hold talks", "talks are set to begin": scheduled
    elif rule.kind == "stance":
        if rule is _ACCEPT and _JOINT.search(before):
            return "in_force", certainty  # both sides accepting a plan: agreed
        if modal:
            certainty = WEAK
    return state, certainty


def read_sentence(sentence: str) -> Reading | None:
    """The state ``sentence`` asserts (the first in the lifecycle's order, main clauses first), or None."""
    return _read(sentence)


def _lower(sentence: str) -> str:
    # the same length as the sentence, so spans carry over; curly apostrophes as straight ones
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in sentence).replace("’", "'").replace("‘", "'")


def _read(sentence: str) -> Reading | None:
    stripped = sentence.rstrip(" \"'”’»)")
    if stripped.endswith("?"):
        return None  # a question asserts nothing
    low = _lower(sentence)
    readings: list[Reading] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(low):
            judged = _judge(rule, low, m)
            if judged is not None:
                readings.append(Reading(judged[0], judged[1], m.start(), m.end()))
    if not readings:
        return None
    best = min(readings, key=lambda r: (-r.certainty, _ORDER.get(r.state_id, 99), r.start))
    if best.state_id == "in_force":
        # the more specific reading of the same words wins: "signed a framework agreement" is partial
        for r in readings:
            if r.state_id == "partial" and r.certainty >= best.certainty and r.start < best.end and best.start < r.end:
                return r
    return best
