"""The typed word classes the aphorism engine swaps: nouns (singular/plural, count or mass) and
adjectives, grouped by meaning so that a swap keeps the sentence's sense (a virtue for a virtue,
a river for a sea). Hand-written: the one source for what a slot may hold.

A noun entry is "word" (regular plural, count noun), "word:plural" (irregular), "word:-"
(mass noun: no plural, never after "a"), or "word:+" (both: "pleasure is", "a pleasure").
Words that are also common verbs (love, fear, hope, ...) are listed in AMBIGUOUS: the miner
makes a slot of them only where the context says "noun".
"""

from __future__ import annotations

from dataclasses import dataclass

NOUNS: dict[str, str] = {
    # qualities people praise
    "virtue": """
        wisdom:- courage:- patience:- justice:- temperance:- kindness:- honesty:- humility:-
        modesty:- prudence:- gratitude:- generosity:- mercy:- gentleness:- simplicity:-
        sincerity:- discipline:- fortitude:- reverence:- innocence:- integrity:- diligence:-
        cheerfulness:- moderation:- virtue self-respect:- serenity:- tenderness:- goodness:-
        honour:- constancy:- thrift:- candour:- loyalty:- faith:- charity:-
    """,
    # qualities people blame
    "vice": """
        anger:- envy:- greed:- pride:- vanity:- folly:- malice:- cowardice:- laziness:-
        idleness:- luxury:- avarice:- ambition:- jealousy:- hatred:- cruelty:- ignorance:-
        hypocrisy:- arrogance:- sloth:- flattery:- conceit:- cunning:- impatience:- vice
        selfishness:- stupidity:- insolence:- gluttony:- lust:- rage:- spite:- indolence:-
    """,
    # what befalls us, good and bad
    "state": """
        happiness:- freedom:- peace:- joy:+ pleasure:+ pain:+ sorrow:+ grief:+ glory:- fame:-
        wealth:- poverty:- power:- beauty:- health:- sickness:- success:+ failure:+ leisure:-
        solitude:- misery:- tranquillity:- liberty:- luck:- fortune:- danger:- comfort:-
        suffering:- despair:- boredom:- melancholy:- delight:+ contentment:- hunger:- exile:-
        obscurity:- silence:- rest:- youth:- adversity:- prosperity:- ease:- toil:-
    """,
    # what we think with and about
    "mind": """
        truth:- knowledge:- thought reason:- memory imagination:- experience:- opinion habit
        custom education:- philosophy:- religion:- art science history:- nature:- friendship
        marriage war law politics:- desire dream belief question answer secret doubt idea
        illusion instinct conscience duty mystery prejudice theory paradox superstition:-
        wonder:- genius:- sense:- judgement conviction intellect:- language morality:- tradition
    """,
    # great forces
    "force": """
        time:- death:- life:- love:- fate:- necessity:- chance:- change:- eternity:- heaven:-
        destiny:- providence:- chaos:- order:- spirit:- soul
    """,
    # people
    "person": """
        man:men fool sage friend enemy:enemies king slave master child:children stranger
        philosopher poet soldier merchant judge teacher pupil neighbour god:gods hero:heroes
        coward thief:thieves saint lover artist critic priest tyrant prophet beggar prince
        scholar sinner servant traveller hermit sailor farmer citizen disciple
        statesman:statesmen physician wanderer ruler guest host
    """,
    # the outdoors
    "nature": """
        river mountain sea tree stone flower star cloud storm bird garden field forest ocean
        leaf:leaves wave seed root valley hill desert island lake spring well moon sun rose lion
        wolf:wolves eagle serpent oak meadow shore stream rock snow:- rain:- fire wind dust:-
        earth:- water:- light:- shadow thunder:- frost:- dawn dusk:- mist
    """,
    # made things and places
    "thing": """
        house city ship sword coin book cup lamp mirror door wall bridge road tower temple
        palace prison crown chain key mask throne market ladder bell wheel harvest feast gift
        letter map clock anchor candle table bed grave
    """,
    # time
    "time": """
        day night hour year moment season morning evening age century winter summer autumn week
        lifetime
    """,
    # the large wholes we live in
    "realm": """
        world universe society country nation kingdom empire republic church family crowd
        mankind:- humanity:- people:- state commonwealth village
    """,
    # what we do
    "deed": """
        action deed work:- labour:- crime act benefit service sacrifice effort struggle victory
        defeat conquest battle gesture promise mistake
    """,
    # what things have
    "aspect": """
        name end difference method form advantage doctrine account word fact purpose matter
        ground price taste value sign condition distinction measure principle origin cause
        meaning
    """,
    # what one thing is to another: "patience is the mask of fear" (frames only; the miner
    # reads these words as their first class above where they have one)
    "relation": """
        mother daughter enemy friend servant master price reward mask shadow root fruit seed
        beginning end cure disease wage crown prison mirror echo cousin twin disguise tax refuge
        child teacher thief sister brother ornament armour bridge door key harvest ransom wound
        medicine poison soil grave cradle compass anchor lamp veil rehearsal apprenticeship
        luxury habit secret reflection punishment revenge excuse
    """,
    # --- tight classes for the hand-written frames (frames.py): any word of one of these
    # makes sense in a frame written for it. The miner reads a word as its first class above.
    # external goods, which fortune gives and takes
    "goods": """wealth:- fame:- power:- beauty:- health:- pleasure:+ comfort:+ luxury:- glory:-
        success:+ luck:- praise:- rank:- money:- youth:- applause:- influence:-""",
    # what befalls us and hurts
    "hardship": """poverty:- exile:- sickness:- pain:+ grief:+ failure:+ loss:+ obscurity:- hunger:-
        danger:+ adversity:- toil:- misfortune:+ solitude:- disgrace:- ruin:-""",
    # the passions that move us
    "passion": """anger:- fear:+ envy:- desire:+ jealousy:- hatred:- pride:- vanity:- greed:- lust:-
        despair:- hope:+ ambition:- resentment:- longing:+ rage:-""",
    # inner goods
    "calm": """peace:- serenity:- tranquillity:- contentment:- patience:- calm:- quiet:-
        stillness:- silence:- ease:- freedom:- gentleness:- simplicity:- joy:+""",
    # the people of aphorisms
    "people": """
        man:men fool sage friend stranger child:children neighbour teacher traveller
    """,
    # inside us
    "self": """
        heart mind body eye face voice tongue hand blood:- breath nerve brow character
    """,
}

ADJECTIVES: dict[str, str] = {
    "good": """
        wise brave honest noble patient just gentle modest humble generous grateful virtuous
        prudent sincere faithful loyal temperate merciful calm serene kind truthful
    """,
    "bad": """
        foolish cruel vain proud idle greedy cowardly wicked envious jealous selfish arrogant
        lazy angry ignorant stupid insolent shameless timid reckless bitter petty
    """,
    "state": """
        happy unhappy free rich poor strong weak lonely quiet silent young restless weary tired
        sad joyful hungry sick healthy famous obscure powerful helpless wretched
    """,
    "quality": """
        deep shallow dark bright simple rare small great beautiful ugly sweet cold warm hard
        soft empty slow sacred secret ordinary strange hidden heavy narrow wide fragile solemn
        barren fertile ancient eternal brief sudden true false real pure perfect natural moral
        human modern new old popular public private personal religious political universal
        superior common
    """,
    "judged": """
        good bad evil right wrong fine excellent terrible dangerous useful useless necessary
        impossible ridiculous absurd admirable contemptible
    """,
}

# Nouns that are also everyday verbs (or adverbs): slots only where the context says "noun".
AMBIGUOUS: frozenset[str] = frozenset(
    """love fear hope doubt change rest desire dream wish answer question judge master fool
    rain storm seed root face hand water light fire spring well will time order power
    sense war book ship lamp chain key mask crown market ladder bell wheel harvest feast gift
    letter map table bed grave coin cup door wall bridge road tower shadow wave leaf star
    stone field flower garden bird cloud wind dust earth snow frost mist shore stream rock
    sun moon host guest ruler youth use stranger reason experience thought glory silence
    prejudice rebel mind heart face voice tongue eye blood
    breath nerve brow spirit custom habit art law comfort ease toil delight wonder exile
    suffering rose saint coward lion wolf eagle serpent oak pride envy rage spite
    cunning flattery luck danger dusk dawn pleasure idea""".split()
) | frozenset(
    """general calm free humble secret bitter just kind quiet empty slow brief good right wrong
    fine evil new old common public""".split()
)


@dataclass(frozen=True)
class Noun:
    sg: str
    pl: str | None  # None: a mass noun
    cls: str
    mass: bool = False  # may stand bare in the singular ("Courage is ...")


@dataclass(frozen=True)
class Adjective:
    word: str
    cls: str


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def nouns() -> list[Noun]:
    out: list[Noun] = []
    for cls, text in NOUNS.items():
        for entry in text.split():
            word, _, plural = entry.partition(":")
            if " " in word:
                continue
            pl = None if plural == "-" else plural if plural not in ("", "+") else _plural(word)
            out.append(Noun(word, pl, cls, mass=plural in ("-", "+")))
    return out


def adjectives() -> list[Adjective]:
    return [Adjective(w, cls) for cls, text in ADJECTIVES.items() for w in text.split()]


# Verbs by what they do; "base:past:participle" where irregular. Light verbs (make, take, give,
# have, do, get) are left out: they live in idioms that a swap breaks.
VERBS: dict[str, str] = {
    "regard": """
        love hate fear trust despise admire honour praise blame forgive:forgave:forgiven pity
        scorn respect worship envy mock cherish suspect flatter serve obey resist follow betray
    """,
    "know": """
        know:knew:known understand:understood:understood see:saw:seen hear:heard:heard perceive
        learn teach:taught:taught forget:forgot:forgotten remember believe seek:sought:sought
        find:found:found discover question study
    """,
    "act": """
        conquer destroy create build:built:built break:broke:broken rule command lead:led:led
        defend guard save spare keep:kept:kept hold:held:held lose:lost:lost win:won:won
        choose:chose:chosen bear:bore:borne carry gather
    """,
    "live": """
        live die sleep:slept:slept wake:woke:woken laugh weep:wept:wept suffer wait wander
        travel sing:sang:sung dance grow:grew:grown fall:fell:fallen rise:rose:risen
        fly:flew:flown burn shine:shone:shone fade flow speak:spoke:spoken listen
        think:thought:thought dream rest linger stumble tremble
    """,
}


@dataclass(frozen=True)
class Verb:
    base: str
    s: str  # he loves
    past: str  # he loved
    pp: str  # he has loved
    ing: str  # loving
    cls: str


def _third(v: str) -> str:
    if v.endswith(("s", "x", "ch", "sh", "o")):
        return v + "es"
    if v.endswith("y") and v[-2:-1] not in "aeiou":
        return v[:-1] + "ies"
    return v + "s"


def _ed(v: str) -> str:
    if v.endswith("e"):
        return v + "d"
    if v.endswith("y") and v[-2:-1] not in "aeiou":
        return v[:-1] + "ied"
    if v in ("stop", "plan", "beg"):
        return v + v[-1] + "ed"
    return v + "ed"


def _ing(v: str) -> str:
    if v == "die":
        return "dying"
    if v.endswith("e") and not v.endswith(("ee", "ye")):
        return v[:-1] + "ing"
    if v in ("win", "run", "begin", "stop"):
        return v + v[-1] + "ing"
    return v + "ing"


def verbs() -> list[Verb]:
    out: list[Verb] = []
    for cls, text in VERBS.items():
        for entry in text.split():
            base, *irregular = entry.split(":")
            past, pp = irregular if irregular else (_ed(base), _ed(base))
            out.append(Verb(base, _third(base), past, pp, _ing(base), cls))
    return out
