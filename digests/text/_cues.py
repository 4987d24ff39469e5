"""The speech-cue lexicon shared by the attribution rules and the speaker ranker (private).

``SAY`` holds verbs that report speech ("said", "told", "tweeted"); ``PARTIAL`` the verbs and
phrases that weave quoted words into the reporter's sentence ("called it a", "according to").
English grammar words, not taken from any data set.
"""

from __future__ import annotations

__all__ = ["PARTIAL", "SAY"]

SAY = (
    r"said|says|say|told|tells|added|adds|asked|asks|wrote|writes|stated|states|announced|"
    r"announces|warned|warns|noted|notes|insisted|insists|argued|argues|explained|explains|"
    r"claimed|claims|declared|declares|tweeted|tweets|posted|posts|confirmed|confirms|"
    r"dismissed|replied|replies|responded|responds|continued|continues|recalled|recalls|"
    r"acknowledged|acknowledges|admitted|admits|observed|remarked|suggested|suggests|predicted|"
    r"promised|vowed|urged|cautioned|conceded|joked|quipped|shouted|yelled|screamed|complained|"
    r"boasted|bragged|lamented|stressed|emphasized|emphasised|countered|charged|alleged|"
    r"concluded|pledged|testified|whispered|cried|exclaimed|agreed|went on|pointed out|"
    r"recounted|mused|sang|chanted|read|reads|demanded|vows|retweeted|wondered|pressed|answered|reiterated|"
    r"asserted|scoffed|snapped|emailed|texted|shot back|fired back|writes|tweets|conclude|concludes|"
    r"commented|comments|points out|point out|notes|contends|contended|maintained|maintains|"
    r"questioned|assured|fumed|bemoaned|reflected|recalled|remembered|reported|reports|put it|"
    r"barked|muttered|sighed|laughed|ranted|gushed|chided|scolded|teased|taunted|griped|grumbled|murmured|opined"
)
PARTIAL = (
    r"called|calls|calling|described|describes|describing|dubbed|labeled|labelled|branded|"
    r"termed|praised|criticized|criticised|blasted|slammed|accused|mocked|saying|telling|adding|"
    r"writing|noting|warning|insisting|arguing|claiming|declaring|asking|explaining|tweeting|"
    r"urging|promising|vowing|referring|referred|characterized|characterised|quoted|quoting|"
    r"according to|speaking|spoke|told|calls? for|demanded|demanding|pledging|stating|"
    r"announcing|predicting|suggesting|admitting|acknowledging|recalling|confirming"
)
