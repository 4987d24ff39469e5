"""A labelled set for quote extraction: the seed and articles written for the hard cases.

Each article lists every direct quotation (its exact words inside the marks) with the resolved
speaker (``None`` when no one is credited) and, where the article gives one, the speaker's role;
and the quoted words that are not quotations (titles, scare quotes, slogans, nicknames) with their
kind. The invented articles are fiction written for these tests; names are made up except where
they follow the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ARTICLES", "Gold", "LabelledArticle"]


@dataclass(frozen=True)
class Gold:
    text: str
    speaker: str | None
    role: str | None = None
    pronoun: bool = False  # attributed with a pronoun ("he said")


@dataclass(frozen=True)
class LabelledArticle:
    name: str
    text: str
    quotes: tuple[Gold, ...]
    other: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (text, kind)


SEED_GOLD = (
    Gold("immediately.", "Donald Trump", "former U.S. President"),
    Gold("possible ceasefire for a certain period of time", "Vladimir Putin", "Russian President"),
    Gold(
        "It is obvious that Russia is trying to buy time in order to continue its war and occupation,",
        "Volodymyr Zelensky",
        "Ukrainian President",
    ),
    Gold(
        "Unfortunately, following the Trump–Putin phone call, the status quo has not changed,",
        "Mykhailo Podolyak",
        "Zelensky’s advisor",
        pronoun=True,
    ),
    Gold("I think there’s a chance of getting something done,", "Donald Trump", "former U.S. President"),
    Gold(
        "And if you do that [impose more sanctions], you could also make it much worse.",
        "Donald Trump",
        "former U.S. President",
    ),
    Gold("root causes.", "Dmitry Peskov", "Kremlin spokesman"),
    Gold("He wants Ukraine to surrender,", "William Taylor", "former U.S. Ambassador to Ukraine"),
    Gold(
        "He wants Ukraine to disarm—to be in a position where the Ukrainians cannot defend themselves. "
        "That’s what Putin means when he says ‘the root causes.’",
        "William Taylor",
        "former U.S. Ambassador to Ukraine",
    ),
)

ARTICLES: tuple[LabelledArticle, ...] = (
    LabelledArticle(
        "hospital-she-he-pair",
        "Health Secretary Maria Lopez and her deputy, Tom Becker, visited the flooded hospital in Dorwick "
        "on Tuesday.\n"
        "“We will rebuild this ward before winter,” Lopez said.\n"
        "Becker was more cautious. “The money is not there yet,” he said.\n"
        "She disagreed. “The money will be found,” she told reporters.\n"
        "Nurses described the damage as “worse than anything we have seen.”\n"
        "The hospital’s chief executive, Daniel Okafor, said staff had worked through the night. "
        "“Nobody went home,” he said. “Not one person.”",
        (
            Gold("We will rebuild this ward before winter,", "Maria Lopez", "Health Secretary"),
            Gold("The money is not there yet,", "Tom Becker", "deputy", pronoun=True),
            Gold("The money will be found,", "Maria Lopez", "Health Secretary", pronoun=True),
            Gold("worse than anything we have seen.", "Nurses"),
            Gold("Nobody went home,", "Daniel Okafor", "hospital’s chief executive", pronoun=True),
            Gold("Not one person.", "Daniel Okafor", "hospital’s chief executive"),
        ),
    ),
    LabelledArticle(
        "straight-marks-according-to-wrote-colon",
        'The port strike entered its third week on Monday, and "there is no end in sight," according to '
        "union leader Frank Moreno.\n"
        'Shipping minister Helen Vance wrote: "The government will not be blackmailed by a handful of '
        'officials."\n'
        'Moreno: "We are not a handful. We are eleven thousand workers."\n'
        '"Talks resume Thursday," said Vance, adding that she remained "hopeful but realistic."',
        (
            Gold("there is no end in sight,", "Frank Moreno", "union leader"),
            Gold(
                "The government will not be blackmailed by a handful of officials.",
                "Helen Vance",
                "Shipping minister",
            ),
            Gold("We are not a handful. We are eleven thousand workers.", "Frank Moreno", "union leader"),
            Gold("Talks resume Thursday,", "Helen Vance", "Shipping minister"),
            Gold("hopeful but realistic.", "Helen Vance", "Shipping minister"),
        ),
    ),
    LabelledArticle(
        "british-single-marks",
        "Chelsea manager Graham Porter was delighted after the win at Anfield.\n"
        "‘I’d be over the moon with a point here, so three is something special,’ said Porter.\n"
        "Captain Reece James agreed the result was ‘massive’ for the club.\n"
        "‘We didn’t panic. The lads’ belief was unbelievable,’ James told BBC Sport.\n"
        "The Clintons’ visit to the ground didn’t go unnoticed.",
        (
            Gold(
                "I’d be over the moon with a point here, so three is something special,",
                "Graham Porter",
                "Chelsea manager",
            ),
            Gold("massive", "Reece James", "Captain"),
            Gold("We didn’t panic. The lads’ belief was unbelievable,", "Reece James", "Captain"),
        ),
    ),
    LabelledArticle(
        "across-paragraphs-and-continuation",
        "Mayor Ana Lopez opened the new bridge on Saturday.\n"
        "“This city has waited long enough,” Lopez said. “We promised a bridge and we built it.\n"
        "“And we built it on time and on budget.”\n"
        "Councillor Peter Hale, who voted against the project, was unmoved.\n"
        "“It cost twice what we were told,” Hale said.\n"
        "“The people of this city deserve the truth about the money.”\n"
        "The bridge will carry 40,000 cars a day.",
        (
            Gold("This city has waited long enough,", "Ana Lopez", "Mayor"),
            Gold("We promised a bridge and we built it.", "Ana Lopez", "Mayor"),
            Gold("And we built it on time and on budget.", "Ana Lopez", "Mayor"),
            Gold("It cost twice what we were told,", "Peter Hale", "Councillor"),
            Gold("The people of this city deserve the truth about the money.", "Peter Hale", "Councillor"),
        ),
    ),
    LabelledArticle(
        "organisation-uncredited-partial",
        "Russian forces shelled the port of Odesa overnight, Ukrainian officials said.\n"
        "“The strikes targeted civilian infrastructure,” the Ukrainian Foreign Ministry said in a statement.\n"
        "“Our air defence units repelled a massive attack,” the Kremlin said.\n"
        "The latest attack was described as “a deliberate escalation.”\n"
        "NATO Secretary General Mark Rutte called the strikes “reckless and cruel” and urged allies to send "
        "more air defence systems.",
        (
            Gold("The strikes targeted civilian infrastructure,", "Ukrainian Foreign Ministry"),
            Gold("Our air defence units repelled a massive attack,", "Kremlin"),
            Gold("a deliberate escalation.", None),
            Gold("reckless and cruel", "Mark Rutte", "NATO Secretary General"),
        ),
    ),
    LabelledArticle(
        "not-quotations",
        "Author Jane Whitfield, whose memoir “The Long Road Home” topped the charts last year, spoke on "
        "NBC’s “Meet the Press” on Sunday.\n"
        "Wrestler Dwayne “The Rock” Johnson also appeared on the programme.\n"
        "Protesters outside wore hats reading “Make Peace Great Again” and chanted for an hour.\n"
        "The so-called “peace dividend” never arrived, critics say.\n"
        "“Nobody reads books any more, but they still listen,” Whitfield said.",
        (Gold("Nobody reads books any more, but they still listen,", "Jane Whitfield", "Author"),),
        (
            ("The Long Road Home", "title"),
            ("Meet the Press", "title"),
            ("The Rock", "nickname"),
            ("Make Peace Great Again", "slogan"),
            ("peace dividend", "scare"),
        ),
    ),
    LabelledArticle(
        "pronoun-two-men-and-cue-before",
        "Opposition leader Victor Stanescu met President Andrei Popa in Bucharest on Friday.\n"
        "Stanescu said afterwards that the meeting had been “frank but useful.”\n"
        "Popa told reporters: “We agreed on the budget, not on the elections.”\n"
        "He added that a second meeting was “very likely” before the summer.\n"
        "Asked about the protests, Stanescu said: “People are tired of waiting.”",
        (
            Gold("frank but useful.", "Victor Stanescu", "Opposition leader"),
            Gold("We agreed on the budget, not on the elections.", "Andrei Popa", "President"),
            Gold("very likely", "Andrei Popa", "President", pronoun=True),
            Gold("People are tired of waiting.", "Victor Stanescu", "Opposition leader"),
        ),
    ),
    LabelledArticle(
        "titles-mr-ms-and-surnames",
        "Ms. Laura Kim, the city’s treasurer, and Mr. David Osei, its auditor, clashed over the pension fund "
        "at Wednesday’s hearing.\n"
        "Kim insisted the fund was “in good health and well managed.”\n"
        "Osei was not convinced. “The numbers do not add up,” he said, calling the accounts “a mess.”\n"
        "“I have signed off on every page,” Kim replied. “Every single one.”\n"
        "“We will see what the court says,” she added.",
        (
            Gold("in good health and well managed.", "Laura Kim", "city’s treasurer"),
            Gold("The numbers do not add up,", "David Osei", "auditor", pronoun=True),
            Gold("a mess.", "David Osei", "auditor", pronoun=True),
            Gold("I have signed off on every page,", "Laura Kim", "city’s treasurer"),
            Gold("Every single one.", "Laura Kim", "city’s treasurer"),
            Gold("We will see what the court says,", "Laura Kim", "city’s treasurer", pronoun=True),
        ),
    ),
    LabelledArticle(
        "affiliations-titles-and-relatives",
        "Vilnius (AFP) – Secretary of State Joan Albright arrived on Monday, meeting President Tomas Vaitkus "
        "and his deputy, Rasa Vaitkus, saying the talks were “overdue.”\n"
        "“We came to listen,” said Mark Ellery of the Atlantic Policy Institute.\n"
        "The president later spoke to reporters. “Our borders are not negotiable,” the president said.\n"
        "The ministry may be slow to act, Vaitkus said. “The timing is the problem.”\n"
        "Albright's Lithuanian counterpart was more cautious. Albright smiled and added, “We will be back "
        "in the spring.”",
        (
            Gold("overdue.", "Joan Albright", "Secretary of State"),
            Gold("We came to listen,", "Mark Ellery"),
            Gold("Our borders are not negotiable,", "Tomas Vaitkus", "President"),
            Gold("The timing is the problem.", "Tomas Vaitkus", "President"),
            Gold("We will be back in the spring.", "Joan Albright", "Secretary of State"),
        ),
    ),
)
