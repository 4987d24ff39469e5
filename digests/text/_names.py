"""Names in news text: capitalised runs, titles, person-likeness and the article's registry.

Private helpers for speaker attribution. A *name run* is a sequence of capitalised tokens
("Ukrainian President Volodymyr Zelensky"); titles, party labels and demonyms in front are
dropped ("Volodymyr Zelensky"), and later surname mentions ("Zelensky") expand to the full name
used earlier in the article.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from digests.text._tokens import wordset

__all__ = ["NAME_CAPITALS", "NAME_RUN", "NameRegistry", "PersonMention", "clean_name", "gender_of", "is_org_name"]

_ABBREVIATED_TITLE = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Adm|Maj|Supt|Det)\."
# Capitals and letters: ASCII and the Latin letters of European names (Sánchez, Gonzàlez, Łukasz,
# Erdoğan). Ā-ž mixes upper and lower case; a name opening with a lower-case one of them is rare.
NAME_CAPITALS = _CAP = "A-ZÀ-ÖØ-ÞĀ-ž"
_LETTER = "A-Za-zÀ-ÖØ-öø-ž"
_TOKEN = rf"(?:{_ABBREVIATED_TITLE}|[A-Z]\.(?:[A-Z]\.)*|[{_CAP}][{_LETTER}’'\-]*[{_LETTER}]|[{_CAP}])"
_PARTICLE = r"(?:de|del|der|van|von|bin|al|da|di|du|le|la|ibn|dos|das)"
# Every run starts with a capital: the lookahead in front lets the regex engine skip ahead to the
# next capital instead of trying the lookbehind at every character (a third faster, same matches).
NAME_RUN = re.compile(
    rf"(?=[{_CAP}])(?<![\w’'.-]){_TOKEN}(?:(?:\s|\s{_PARTICLE}\s){_TOKEN})*(?:,?\s(?:Jr|Sr)\.|\s(?:II|III|IV))?"
)

TITLES = wordset(
    """president vice prime minister chancellor secretary sen senator rep representative gov
    governor mayor ambassador gen general judge justice dr mr mrs ms miss mx prof professor chairman
    chairwoman chair ceo cfo coo director spokesman spokeswoman spokesperson adviser advisor aide
    speaker leader chief commissioner officer sgt capt col lt maj adm rev bishop archbishop
    cardinal coach manager premier deputy attorney congressman congresswoman councilman
    councilwoman assemblyman assemblywoman sheriff detective inspector constable superintendent
    commander colonel captain lieutenant sergeant corporal admiral emir nominee candidate founder recorder
    president-elect mp mep minister-president dame sir lord lady king queen prince princess pope
    sheikh ayatollah chairperson executive correspondent analyst economist envoy councillor councilor
    alderman author novelist writer wrestler boxer actor actress singer rapper comedian pollster
    strategist activist campaigner historian scientist researcher
    secretary-general gov. sen. rep. gen. dr. mr. mrs. ms. prof. lt. col. capt. sgt. rev. adm.
    maj. st. rt. hon. hon"""
)
_HONORIFICS = wordset("mr mrs ms miss dr")
# What "Secretary of ...", "Director of ..." are secretaries and directors of (beside _ORG_WORDS).
_TITLE_OBJECTS = wordset(
    """prosecutions affairs treasury justice commerce labor interior agriculture transport
    transportation staff communications operations finance trade education"""
)
# Letters and numerals after a person's name: "Michael Kay QC", "Jo Cox MP", "Martin Luther King III"
# (postnominals are dropped from the name; none of them makes the name an acronym's).
_POSTNOMINALS = wordset("QC KC MP MEP MSP AM MLA OBE MBE CBE KBE DBE")
_NUMERALS = _POSTNOMINALS | wordset("II III IV VI VII VIII MD JR SR DJ")
# First names ending in -ing; any other capitalised -ing word opening a run names a work or a thing
# ("Finding Nemo", "Living History").
_ING_NAMES = wordset("sterling irving channing king")
# Groups of people, named alone: "Americans", "Muslims" (no person).
_GROUPS = wordset(
    """americans britons europeans canadians mexicans russians ukrainians iraqis iranians syrians
    israelis palestinians afghans pakistanis indians germans italians australians muslims christians
    jews catholics evangelicals latinos hispanics asians africans liberals conservatives progressives"""
)
# Words that open a clause: capitalised inside a name run, they end what came before.
_CLAUSE_OPENERS = wordset("while but when after before because although though since until however meanwhile")
# Titles that are also common surnames (after a first name they are the surname).
_SURNAME_TITLES = wordset("king bishop")
_KEEP_TITLE = wordset("pope king queen prince princess lord lady sir dame sheikh")
_PREFIXES = wordset(
    """democrat democratic republican gop labour tory conservative liberal independent green
    former late then acting interim new top senior u.s. us uk u.k. eu un u.n. nato white house
    kremlin pentagon british american french german russian chinese ukrainian finnish israeli
    iraqi iranian saudi syrian turkish indian pakistani japanese korean italian spanish
    canadian australian mexican dutch swiss greek polish irish scottish welsh english jewish
    islamic muslim catholic"""
)


# Party, nationality and faith words among _PREFIXES (not "green", "white", "new", "top", ...).
_AFFILIATIONS = _PREFIXES - wordset("green white house new top senior late then acting interim former independent")


def is_modifier_word(word: str) -> bool:
    """Is ``word`` an adjective of party, nationality or faith ("Republican", "Jewish") that opens
    names ("Republican Senator X") but never names anyone alone? (Not "Green", "White": surnames.)"""
    return word.lower() in _AFFILIATIONS


_ORG_WORDS = wordset(
    """office house force department ministry party union council committee commission agency
    bank court university college school institute times post news journal company inc corp
    group association club united city county state states street square church army navy police
    service museum foundation fund organization organisation network senate congress parliament
    assembly federation league republic kingdom nations airport hospital center centre island
    islands sea ocean river valley park hall road avenue air guard corps administration board
    reserve security intelligence defense defence affairs health energy cup championship games
    olympics prize award awards act bill law treaty accord agreement plan project program
    programme initiative summit conference forum war revolution tower bridge station building
    media press herald telegraph guardian mail express reuters associated ap democrats
    republicans campaign twitter facebook google instagram youtube bbc cnn fox nbc abc cbs msnbc
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december ltd plc llc co foundation
    korea america russia china iran iraq syria israel ukraine mexico canada japan germany france
    britain england europe africa asia cuba venezuela afghanistan pakistan egypt libya yemen taiwan
    vietnam brazil texas florida ohio iowa california michigan wisconsin pennsylvania carolina
    arizona nevada colorado minnesota illinois massachusetts kentucky tennessee alabama louisiana
    oklahoma arkansas missouri kansas nebraska dakota montana idaho oregon utah hawaii alaska
    connecticut maryland delaware maine vermont
    industries holdings partners capital airlines airways motors systems technologies labs
    pharmaceuticals entertainment studios communications enterprises solutions fuels resources
    mining coal petroleum zoo restaurant cafe pub stadium arena theatre theater cinema gallery
    library prison jail mall market farm ranch lodge inn clinic academy society trust alliance
    coalition movement brigade regiment battalion division squad fc rovers athletic wanderers
    albion hotspur rangers celtic springs falls heights hills beach bay mountains village
    township creek harbor harbour"""
)
NON_NAME_STARTERS = wordset(
    """the a an in on at as if when while after before his her its their our my there here what
    why how who where some many most this that these those but and or so yet however following
    meanwhile despite although though because instead earlier later last next according
    unfortunately it he she they we i you no not for from to with by since until also still
    both each every all one two three four five six seven eight nine ten now then once under
    over during against among between without within about like just only even today tomorrow
    yesterday asked speaking writing talking amid amidst upon throughout toward towards via per
    unlike beyond besides except alongside ahead scroll more less fewer nearly almost roughly"""
)
PRONOUNS = wordset("he she they it we i you him them us")

# Common first names and gendered words, to keep "she said" from resolving to a man (and back).
_FEMALE = wordset(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle carol amanda melissa deborah stephanie
    rebecca laura sharon cynthia kathleen amy angela shirley anna ann anne brenda pamela nicole
    emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather
    diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan
    cheryl andrea hannah martha jacqueline frances gloria teresa kathryn sara janice jean alice
    madison doris abigail julia judy grace denise amber marilyn beverly danielle theresa sophia
    marie diana brittany natalie isabella charlotte rose alexis kayla hillary kamala nancy
    elizabeth ursula angela theresa nicola liz priyanka jacinda giorgia marine ilhan alexandria
    nikki kellyanne sarah condoleezza madeleine michelle melania ivanka tulsi elise marsha
    kirsten tammy dianne amy kristi gina janet yulia olena iryna svetlana natalia tatiana
    olga irina anastasia ewa beata agnieszka sanna mette annalena kaja ana lucia sofia ines
    carmen isabel elena claudia petra sabine annegret ulrike greta chloe lucy sophie ella
    fatima aisha leila mariam yasmin sonia indira benazir aung tsai ayesha keiko yuki mei"""
)
_MALE = wordset(
    """james robert john michael david william richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
    tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy
    christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse
    jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy
    vincent ralph eugene russell bobby mason philip louis barack joe bernie ted marco mitch
    chuck mike rudy rex boris rishi keir emmanuel olaf friedrich vladimir volodymyr dmitry
    sergei sergey mykhailo yury yuri andriy oleksandr petro viktor alexei alexey recep xi
    benjamin yair naftali narendra imran shinji fumio justin jair luis carlos pedro miguel
    antonio francisco manuel jorge javier pablo giuseppe matteo mario silvio sebastian karl
    hans klaus helmut gerhard wolfgang jens andrzej mateusz lech donald bashar hassan ali
    mohammed muhammad ahmed omar abdul ibrahim kim jong moon tom tim nick rick dick bill bob
    jim ben dan sam ed ken ron dave steve greg jeff matt chris pat lindsey rand mitt jeb
    hunter eric elon jeff warren volodimir xavier kevin lloyd antony jake hakeem ramzan yevgeny
    alexandre andre francois jean-claude jean-luc pierre jacques nicolas gabriel dominic liam
    oliver harry charlie james"""
)
_FEMALE_WORDS = wordset(
    """mrs mrs. ms ms. miss madam lady queen princess duchess dame spokeswoman chairwoman
    congresswoman councilwoman assemblywoman businesswoman actress sister mother daughter wife
    grandmother aunt niece widow girl woman"""
)
_MALE_WORDS = wordset(
    """mr mr. sir lord king prince duke spokesman chairman congressman councilman assemblyman
    businessman actor brother father son husband grandfather uncle nephew widower boy man"""
)


# First names that are also common words or places: named alone they are not taken for a person.
_AMBIGUOUS_FIRST = wordset(
    """christian june april may august will mark bill rob pat sue guy rich frank art hope grace
    faith joy chelsea jordan victoria austin houston dallas sydney charlotte lincoln washington
    madison georgia virginia alexandria florence paris china india israel dawn summer autumn
    brook brooke rose lily ruby amber crystal holly ivy iris pearl stone king price young"""
)


def is_first_name(word: str) -> bool:
    """Is ``word`` a common first name ("Nigel", "Lorna"): a person even when named alone?"""
    low = word.lower()
    return (low in _FEMALE or low in _MALE) and low not in _AMBIGUOUS_FIRST


def gender_of(name: str, context: str = "") -> str | None:
    """ "f", "m" or None for a person ``name``, from titles and gendered words in ``context`` (the
    name run and role around it) or, failing that, the first name."""
    for word in context.lower().replace(",", " ").split():
        if word in _FEMALE_WORDS:
            return "f"
        if word in _MALE_WORDS:
            return "m"
    first = name.split()[0].lower() if name.split() else ""
    if first in _FEMALE and first not in _MALE:
        return "f"
    if first in _MALE and first not in _FEMALE:
        return "m"
    return None


def _words(run: str) -> list[str]:
    return run.replace(",", " ").split()


@functools.lru_cache(maxsize=65536)
def clean_name(run: str) -> tuple[str | None, bool]:
    """Strip possessives, titles and prefixes: returns (name or None, had_title)."""
    run = re.sub(r"[’']s?$", "", run.strip())
    tokens = _words(run)
    last_title = -1
    for i, tok in enumerate(tokens):
        if tok.lower() in TITLES or tok.lower().rstrip(".") in TITLES:
            if i and i == len(tokens) - 1 and tokens[i - 1].lower().rstrip(".") in _HONORIFICS:
                break  # a surname after an honorific, not a title: "Mr. King", "Ms. Speaker"
            if (
                i
                and i == len(tokens) - 1
                and tok.lower() in _SURNAME_TITLES
                and tokens[i - 1].lower().rstrip(".") not in TITLES
                and tokens[i - 1].lower() not in NON_NAME_STARTERS
            ):
                break  # a surname after a first name: "Claudette King", "Maurice Bishop"
            last_title = i
            if i + 2 < len(tokens) and tokens[i + 1] == "of":
                # "Secretary of State John Kerry", "Director of Public Prosecutions Ken Macdonald": the
                # title runs up to the last two words of the name (three with an initial: John F. Kerry)
                name_words = 3 if len(tokens) > 3 and re.fullmatch(r"[A-Z]\.", tokens[-2]) else 2
                last_title = max(i + 2, len(tokens) - name_words - 1)
                if tokens[-1].lower() in _ORG_WORDS or tokens[-1].lower() in _TITLE_OBJECTS:
                    return None, True  # "Director of Public Prosecutions": a title and no name
    had_title = last_title >= 0
    if had_title and last_title < len(tokens) - 1:
        title = tokens[last_title].lower().rstrip(".")
        keep = title in _KEEP_TITLE and last_title == len(tokens) - 2
        tokens = tokens[last_title:] if keep else tokens[last_title + 1 :]
    elif had_title:
        return None, True
    for i, tok in enumerate(tokens[:-1]):
        if tok.endswith(("'s", "’s")):
            tail = tokens[i + 1 :]
            if len(tail) == 1 and (tail[0].lower() in _AFFILIATIONS or tail[0].lower() in _ORG_WORDS):
                break  # "Screen International's US (editor)", "General Worker's Union": no person here
            # "Mr. Cruz's Irish-American (mother)" names the possessor; "BT's Andrew Burke",
            # "Russia's Zvonareva" the person after the possessive
            tokens = [*tokens[:i], tok[:-2]] if len(tail) == 1 and "-" in tail[0] else tail
            break
    while len(tokens) > 2 and "-" in tokens[0] and tokens[0].split("-", 1)[1][:1].islower():
        # "Oscar-winner Andrea Arnold" (not "Jean-Marie Le Pen"; "Perth-born Evans" stays whole, as
        # the surname alone would not be taken for a person)
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _POSTNOMINALS:  # "Michael Kay QC"
        tokens = tokens[:-1]
    for i in range(len(tokens) - 1, 0, -1):
        if tokens[i].lower() in _CLAUSE_OPENERS:  # "In Menorca While Pat": the run ran over a clause
            tokens = tokens[i + 1 :]
            break
    while len(tokens) > 1 and (
        tokens[0].lower() in _PREFIXES
        or tokens[0].lower() in _GROUPS
        or (len(tokens) > 2 and re.search(r"(?:ian|ese|ish|ean)$", tokens[0]))
    ):
        tokens = tokens[1:]
    if not tokens or tokens[0].lower() in NON_NAME_STARTERS:
        tokens = tokens[1:]
    if not tokens:
        return None, had_title
    if len(tokens) >= 3 and all(t.isupper() and len(t) > 1 for t in tokens):
        return None, had_title  # a heading in capitals: "CONGRESS HAS INVESTIGATED HIM"
    return " ".join(tokens), had_title


@functools.lru_cache(maxsize=65536)
def is_org_name(name: str) -> bool:
    """Does ``name`` look like an organisation or place rather than a person?"""
    tokens = name.split()
    return (
        any(t.lower().strip(".") in _ORG_WORDS for t in tokens)
        or (len(tokens) == 1 and ((tokens[0].isupper() and len(tokens[0]) > 1) or tokens[0].lower() in _GROUPS))
        # an acronym after the first word: "Star Wars DVD", "Sony PSP" (not "Martin Luther King III")
        or any(t.isalpha() and t.isupper() and len(t) > 1 and t not in _NUMERALS for t in tokens[1:])
        or (len(tokens) > 1 and tokens[0].endswith("ing") and tokens[0].lower() not in _ING_NAMES)
        # ends with a party, nationality or faith word: "Long-time Labour", "Radical Islamic" (not
        # "David French", "Andrew Green": a first name before it makes it a surname)
        or (len(tokens) > 1 and tokens[-1].lower() in _AFFILIATIONS and not is_first_name(tokens[0]))
    )


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A person named in the reporter's text at ``pos`` (full name after expansion)."""

    pos: int
    name: str
    possessive: bool


@functools.lru_cache(maxsize=65536)
def _registry_keys(name: str) -> tuple[str, str, tuple[str, ...], str] | None:
    """What ``NameRegistry.add`` files a name under: (surname, first name, the distinct words after
    the first, the lower-cased name), all lower case; None for one word or an organisation."""
    parts = name.lower().split()
    if len(parts) < 2 or is_org_name(name):
        return None
    return parts[-1], parts[0], tuple(dict.fromkeys(parts[1:])), " ".join(parts)


class NameRegistry:
    """Full person names of one article, for expanding surnames to full names."""

    def __init__(self) -> None:
        # Indexes of the full names, in the order they were added (that is, in text order), so that
        # ``expand`` looks only at the names that can match instead of every name of the article:
        # by surname, with the lower-cased first name (for a multi-word mention), and by each
        # lower-cased word after the first (for a one-word mention).
        self._by_surname: dict[str, list[tuple[int, str, str]]] = {}
        self._by_later_word: dict[str, list[tuple[int, str]]] = {}
        self._by_first: dict[str, list[tuple[int, str]]] = {}
        self._known: set[str] = set()

    def add(self, pos: int, name: str) -> None:
        """Record a full (multi-token) person name seen at ``pos``."""
        keys = _registry_keys(name)
        if keys is not None:
            surname, first, later, joined = keys
            self._by_surname.setdefault(surname, []).append((pos, name, first))
            for word in later:
                self._by_later_word.setdefault(word, []).append((pos, name))
            self._by_first.setdefault(first, []).append((pos, name))
            self._known.add(joined)
            self._known.add(surname)

    def expand(self, name: str, pos: int) -> str:
        """The full name for a mention at ``pos``: the nearest earlier one, else the first later."""
        tokens = name.lower().split()
        if not tokens:
            return name
        surname = tokens[-1]
        earlier: str | None = None
        later: str | None = None
        if len(tokens) == 1:
            # a one-word mention matches a full name with that word after the first ("Zelensky");
            # of several earlier ones ("Carly Fiorina", "Frank Fiorina"), the one named most often,
            # then the first named (the story's subject rather than a relative named in passing)
            counts: dict[str, int] = {}
            for at, full in self._by_later_word.get(surname, ()):
                if at <= pos:
                    counts[full] = counts.get(full, 0) + 1
                    if earlier is None or counts[full] > counts[earlier]:
                        earlier = full
                elif later is None:
                    later = full
        else:
            # a longer one needs the same surname and first name
            first = tokens[0]
            for at, full, full_first in self._by_surname.get(surname, ()):
                if full_first != first:
                    continue
                if at <= pos:
                    earlier = full
                elif later is None:
                    later = full
        best = earlier or later
        if best and len(best.split()) >= len(tokens):
            return best
        return name

    def expand_first_name(self, name: str, pos: int) -> str:
        """The full name for a first name named alone ("Alexis" → "Alexis Randock"): the nearest
        earlier full name with that first name, else the first later one; ``name`` when none."""
        found = self._by_first.get(name.lower(), ())
        earlier = [full for at, full in found if at <= pos]
        if earlier:
            return earlier[-1]
        return found[0][1] if found else name

    def knows(self, name: str) -> bool:
        """Is ``name`` (a surname or a full name) a person of this article?"""
        return name.lower() in self._known
