# ruff: noqa: E501 -- one frame per line: a frame reads best whole
"""Hand-written aphorism frames, by voice: the shapes each source is famous for (Bierce's
definitions, Wilde's inversions, Laozi's paradoxes, ...), written fresh, never copied. They share
the mined patterns' slots and filling; the mined patterns bring the variety, the frames the wit.

Syntax: {n.CLASS} a noun (number from its determiner: "a {n.x}" wants a count noun, a bare
"{n.x}" a mass noun), {n.CLASS.pl} plural, {n.CLASS.poss} possessive; {a.CLASS} an adjective;
{v.CLASS.FORM} a verb (base, s, past, pp, ing). "{1:n.virtue} ... {1}" repeats one word.
[one|other] picks one of the texts. Classes are lexicon.py's.
"""

from __future__ import annotations

import re

import numpy as np

from bot.quotes.aphorism.mine import (
    _LEX,
    _WORD_RE,
    DETERMINERS_ANY,
    DETERMINERS_COUNT,
    Slot,
    _need,
)

FRAMES: dict[str, str] = {
    "stoic": """
        There is no {n.calm} without {n.virtue}, and no {n.virtue} without [effort|practice].
        Is it {n.hardship} you [fear|dread]? It is only your [idea|opinion|picture] of it.
        To [bear|accept] what cannot be changed is the first [lesson|step] of {n.virtue}.
        The {n.people} who [envies|pities] no one is already [rich|free].
        {n.calm} [begins|starts] where {n.passion} ends.
        Fortune [lends|offers]; {n.virtue} [keeps|owns].
        Think of every {n.hardship} as a [visitor|guest]: it came, and it will go.
        The {a.good} [mind|soul] is a [fortress|citadel] that {n.passion} cannot take.
        A {n.people} is not [troubled|hurt] by [events|things], but by what he [thinks|says] of them.
        You have power over your [thoughts|choices|judgements], not over {n.goods}.
        {n.hardship} [tests|proves] the {n.people}; {n.goods} [reveals|shows] him.
        He who has {n.virtue} lacks nothing that {n.goods} could give.
        Begin [at once|today] to live, and count each {n.time} as a [separate|whole] life.
        The {n.people} who puts off {n.virtue} until tomorrow has already lost today.
        [Nothing|Little] is [needed|required] for a {a.good} life; it is all within.
        {n.goods} is lent to us; {n.virtue} is the only thing we own.
        It is not {n.hardship} that wounds us, but our [opinion|judgement] of it.
        No {n.people} is [free|at peace] while {n.passion} holds the reins.
        Fortune cannot take from you what it never gave: your {n.virtue}.
        The {a.good} {n.people} asks for {n.virtue}, not for {n.goods}.
        {n.vice} is a debt the [soul|mind] pays with interest.
        Every morning [offers|brings] a fresh chance to be {a.good}.
        Waste no [hour|day] arguing about what a {a.good} [person|man] should be. Be one.
        {n.goods} and {n.goods} pass; {n.virtue} [stays|remains].
        Be {a.good} in {n.goods}, and {a.good} in {n.hardship}.
        [Nobody|No one] is harmed except by their own {n.vice}.
        [Fate|Time|Fortune] gives us only the present moment; {n.virtue} tells us what to do with it.
        The {n.people} who fears {n.hardship} has already lost half of his {n.calm}.
        A {a.good} [mind|soul] turns every {n.hardship} into a [lesson|school|exercise] in {n.virtue}.
        Do not [pray|ask] for lighter [burdens|loads]; ask for a [stronger back|deeper {n.virtue}].
        {n.vice} is {n.virtue} that has forgotten its [measure|limits|purpose].
        We suffer more in [imagination|the mind] than in {n.hardship}.
        Nothing that [fortune|fate|time] brings is too heavy for a {a.good} [mind|soul].
        The [shortest|surest] road to {n.calm} runs through {n.virtue}.
    """,
    "tao": """
        The empty [cup|bowl|vessel] holds the most; the heart full of {n.passion} holds nothing.
        Do not push the river; {n.calm} [comes|arrives] by itself.
        What is [firmly|deeply] rooted in {n.virtue} cannot be [pulled|torn] up.
        To [lead|rule] {n.people.pl}, walk behind them.
        Nothing is softer than {n.calm}, yet nothing [outlasts|wears down] the hard so well.
        [Water|Rain|The earth] gives life to all things and asks nothing in return; so does {n.virtue}.
        Empty the [cup|vessel], and it can be filled; empty the mind of {n.passion}, and it can learn.
        The {n.people} who stands on tiptoe does not stand [firm|long].
        To know that you do not know is {n.virtue}; not to know this is {n.vice}.
        {a.good} words [carry|travel] farther than [loud|angry] ones.
        He who [conquers|masters] others is strong; he who [conquers|masters] {n.passion} is [wise|free|mighty].
        The {a.good} traveller leaves no [tracks|traces]; the {a.good} [ruler|teacher] leaves no [laws|rules].
        Stillness is the [root|master] of [motion|speech]; {n.calm} is the root of {n.virtue}.
        The best {n.people} is like water: [serving|helping] all, [quarrelling|competing] with none.
        When {n.goods} is at its [height|peak], it begins to fall.
        Those who have {n.virtue} do not [boast|speak] of it.
        The soft overcomes the hard; {n.calm} overcomes {n.passion}.
        The sage does nothing, yet nothing is left undone: such is {n.calm}.
        Be like water: [soft|low|clear], [patient|yielding], and without {n.vice}.
        The reed that bends outlives the oak; {n.virtue} outlives {n.vice}.
        {n.virtue} is the root of {n.virtue}; {n.passion} is the root of {n.hardship}.
        Who knows others is [clever|learned]; who knows himself is {a.good}.
        The [quiet|low|gentle|narrow] way is the way of {n.virtue}.
        The more {n.goods} a [ruler|king] [seeks|gathers], the more [thieves|rebels] there are.
        When {n.virtue} is lost, {n.vice} [appears|follows].
        The [sea|valley|river] is [great|mighty] because it lies low; so is the {a.good} [man|heart].
        He who speaks of {n.calm} does not know it; he who knows it is silent.
        Every [battle|contest|quarrel] is won or lost in {n.virtue} before it is fought.
        The {a.good} general [seeks|finds] victory in {n.virtue}, not in [numbers|soldiers|swords].
        Know {n.goods}, but keep to {n.calm}.
        Great {n.virtue} looks like {n.vice}.
        A thousand [days|years] of {n.virtue} begin with one [morning|hour|step].
        In [work|speech|action], {n.virtue}; in {n.hardship}, {n.virtue}.
        The soft [wears|outlasts] the hard, as water wears the stone; so {n.calm} wears down {n.passion}.
    """,
    "nietzsche": """
        Every {n.virtue} is a {n.vice} that has learned to stand up straight.
        He who fights {n.vice} too long [acquires|learns] its [manners|habits].
        One must still have {n.hardship} in oneself to give birth to a dancing star.
        The {a.good} {n.people} loves his [enemies|dangers|obstacles].
        Whatever does not destroy a {n.people} teaches him {n.virtue}.
        {n.vice} is the {n.virtue} of the [crowd|herd|weak].
        We love {n.goods} too much to [judge|see] it honestly.
        In {n.hardship}, the {n.people} is honest with his {n.vice}.
        {n.virtue} without {n.passion} is [a bow without a string|a river without a current].
        All {a.good} things [laugh|dance]; only {n.vice} walks slowly.
        [Beware|Distrust] every {n.people} in whom the [urge|impulse] to punish is powerful.
        Become what you are: a [stranger|master|beginning] to your own {n.passion}.
        A {n.people} is a rope stretched between {n.vice} and {n.virtue}.
        Give a {n.people} a reason to live, and he will carry any {n.hardship}.
        What is done out of love always takes place beyond {n.virtue} and {n.vice}.
        The [noble|free] {n.people} honours in himself the one who [commands|obeys] him.
        Every deep thinker [fears|dreads] being understood more than {n.hardship}.
        We [praise|love] {n.goods}, but not the [labours|roads|years] that lead to it.
        There is always some {n.vice} in {n.virtue}, and some {n.virtue} in {n.vice}.
        The last {n.people} [blinks|smiles] and calls it {n.calm}.
        One must learn to love oneself, so as to [bear|endure] to be oneself: that is {n.virtue}.
        All [great|good] thoughts were [born|conceived] while walking, far from {n.goods}.
        Without {n.passion}, life would be a [mistake|error].
        The [will|thirst] for {n.goods} is a [will|thirst] for power in disguise.
        Madness is rare in one {n.people}; in [crowds|parties|nations] it is the rule.
        Is {n.virtue} a [strength|weakness]? Ask the one who [lacks|needs] it.
        The best [cure|medicine] for {n.virtue} is a little {n.vice}.
        Do not trust a thought that was not [born|found] in {n.hardship}.
        We have art so that we do not perish of {n.goods}.
    """,
    "devil": """
        {n.virtue}, n. The {n.vice} of [those|people] who cannot afford {n.vice}.
        {n.virtue}, n. A {n.vice} that has learned good manners.
        {n.goods}, n. The [interval|pause] between two [disappointments|debts|funerals].
        {n.virtue}, n. The art of [hating|despising|flattering] one's [neighbours|friends] with a straight face.
        {n.goods}, n. What the {a.state} call [virtue|merit] and the {a.state} call [luck|theft].
        {n.people}, n. One who [praises|preaches] {n.virtue} in public and {n.vice} in private.
        {n.virtue}, n. A [minor|modest] form of {n.vice}, [disguised|dressed] as a virtue.
        {n.vice}, n. The last [refuge|comfort] of a {n.people} who has run out of {n.virtue}.
        {n.virtue}, n. Not [despising|hating] one's [neighbours|friends] in a way they can [prove|see].
        {n.passion}, n. A [temporary|brief] [state|condition] of the mind brought on by {n.goods}.
        {n.virtue}, n. The [willingness|readiness] to [forgive|praise] [people|friends] who do not deserve it.
        {n.vice}, n. {n.virtue} [practised|exercised] by the [wrong|other] [person|party].
        {n.goods}, n. A [rumour|report] of happiness, believed by the {a.state}.
        {n.virtue}, n. The [patience|silence] of a {n.people} who has [nothing|little] to say.
        {n.goods}, n. A [gift|loan] of fortune, [collected|recalled] with interest.
        {n.hardship}, n. A [teacher|school] whose [fees|lessons] no one [asks|wants] to pay.
        {n.passion}, n. What we [call|name] the {n.vice} of our [neighbours|friends|enemies].
        {n.calm}, n. The [state|condition] of a {n.people} who has [stopped|ceased] reading the news.
    """,
    "wilde": """
        Nothing [ages|spoils] a {n.people} like {n.virtue} taken [too seriously|without humour].
        To be {a.good} is [easy|common]; to be {a.bad} [is|takes] an art.
        Every {n.people} has some {n.vice}; the {a.good} ones [hide|keep] it in {n.virtue}.
        [People|Men] are never so {a.good} as when they are {a.bad}.
        The only cure for {n.vice} is a little more {n.vice}.
        {n.virtue} is the [last|first] refuge of the {a.bad}.
        I can forgive anything except {n.virtue} [practised|preached] in public.
        One should always be {a.state}: it [annoys|confuses] one's [relations|neighbours|friends].
        {n.goods} is far too [important|serious] to be left to the {a.good}.
        There is no such thing as a {a.good} {n.people}; there are only {a.bad} ones who have not been [found out|caught].
        [Experience|Memory] is the name we give to our {n.vice}.
        {n.vice} is merely {n.virtue} in [evening dress|a better coat].
        The secret of {n.goods} is to [forget|ignore] one's {n.virtue}.
        It is [absurd|silly] to divide people into {a.good} and {a.bad}; they are [charming|dull] or [tedious|amusing].
        We [forgive|admire] {n.vice} in our friends, never {n.virtue}.
        A {n.people} who knows the [price|cost] of {n.goods} knows the value of no {n.virtue}.
        Every {a.good} {n.people} is a [reproach|warning] to the {a.bad} ones.
        {n.vice} is the only [virtue|quality] that [needs|asks] no [practice|rehearsal].
        There is only one thing worse than {n.hardship}, and that is {n.goods}.
        Children begin by [loving|admiring] their parents; later they [judge|forgive] them for their {n.vice}.
        To love oneself is the beginning of a [lifelong|long] [romance|quarrel] with {n.vice}.
        Be yourself; everyone else is [already taken|a rumour|a copy], and {n.virtue} is rarely in fashion.
        {n.goods} is the only thing the {a.state} cannot [buy|forgive].
        The only way to keep {n.virtue} is to [give|lend] it away.
        Some bring {n.calm} wherever they go; others whenever they go.
        Always forgive your enemies: nothing [annoys|troubles] them so much as {n.virtue}.
        A little {n.virtue} is a dangerous thing, and a great deal of it is [fatal|ruinous].
        {n.virtue} is so [rare|delicate] that it should be practised only in private.
    """,
    "emerson": """
        Trust [the woods|the river|the seasons]: they keep the {n.virtue} that people forget.
        Every {n.people} is a [student|pupil] of the [sky|woods|sea] he [walks|lives] under.
        The [trees|rivers|seasons] do not hurry, and yet they [arrive|finish]; so it is with {n.virtue}.
        A quiet [hour|walk] in the woods teaches more {n.virtue} than a library.
        Nothing can bring you {n.calm} but your own {n.virtue}.
        Whoso would be a {n.people} must first be a [stranger|rebel] to {n.goods}.
        To be great is to be [misunderstood|alone]; {n.virtue} walks on.
        The [day|morning] belongs to him who [rises|wakes] with {n.virtue}.
        Go [quietly|slowly] to the woods, and {n.calm} will find you there.
        Most [people|men] lead lives of quiet {n.hardship}; the [woods|river|sparrow] does not.
        A {n.people} is [rich|free] in proportion to the {n.goods} he does not need.
        Build your [house|life] on {n.virtue}, and no [storm|flood|wind] will shake it.
        Nature is [patient|faithful]; it waits for us to be {a.good}.
        What lies within a {n.people} is [larger|older] than any {n.goods} around him.
        {n.virtue} is [simply|only] {n.calm} [held|kept] a little longer.
        Every [deed|act] [rewards|pays] itself, in {n.calm} or in {n.virtue}.
        The {a.good} {n.people} finds a [teacher|sermon] in every [stone|brook|tree].
        To be {a.good} is to be [misunderstood|alone] a little.
        Simplify your [days|wants|house], and {n.calm} will [follow|come].
        Nothing great was ever [done|achieved] without {n.passion}.
        Do not [ask|wait] for {n.calm}; [plant|sow] it.
        Every [sunrise|morning] is a [sermon|lesson] on {n.virtue}.
        What you [do|are] speaks so loudly that no one hears your {n.virtue}.
    """,
    "prophet": """
        Your {n.calm} is your {n.hardship} [unmasked|turned inside out].
        Your [joys|sorrows] are the [children|harvest] of your {n.virtue}.
        When you [forgive|love] your [enemy|neighbour], you [free|heal] the {n.people} in yourself.
        The deeper {n.hardship} carves into you, the more {n.calm} you can hold.
        You give little when you give your {n.goods}; you give much when you give your {n.virtue}.
        [Work|Labour] is {n.virtue} made visible.
        The {n.people} who [laughs|sings] at {n.hardship} has already understood it.
        The {a.good} {n.people} is not the one who has {n.goods}, but the one who can [lose|give] it.
        {n.vice} is only {n.virtue} that has [lost|forgotten] its way home.
        Say not, "I have found the truth," but rather, "I have found a little {n.virtue}."
        {n.virtue} is the only [treasure|gift] that [grows|widens] when it is given away.
        It is [easy|simple] to be {a.good}; the [paradox|trouble] is to be {a.good} and {a.good}.
        The {n.people} of {n.virtue} [sleeps|rests] well on a [stone|hard bed].
        You are the bows from which your children are [sent|shot] forth; {n.virtue} is the string.
        Your {n.calm} and your {n.hardship} are [twins|sisters]; one sits upon your bed while the other waits.
        The {n.vice} you [hide|bury] [grows|spreads] like a weed.
        {n.hardship} that is shared becomes [lighter|bearable]; {n.calm} that is shared becomes joy.
        It is the {a.state} who [teach|remind] the {a.state} what {n.calm} is.
        Out of {n.hardship} the {a.good} [soul|heart] [builds|makes] a home.
        You [talk|speak] when you [cease|stop] to be at peace with your {n.passion}.
    """,
}

_ALT = re.compile(r"\[([^\[\]]*)\]")


def expand(frame: str, rng: np.random.Generator) -> str:
    """Choose one text of every [a|b] (innermost first), with the rng."""
    while True:
        m = _ALT.search(frame)
        if m is None:
            return frame
        options = m.group(1).split("|")
        frame = frame[: m.start()] + options[int(rng.integers(len(options)))] + frame[m.end() :]


def frames() -> dict[str, list[str]]:
    return {v: [ln.strip() for ln in text.strip().splitlines()] for v, text in FRAMES.items()}


_SLOT = re.compile(r"\{(?:(\d+):)?([nav])\.(\w+)(?:\.(\w+))?\}|\{(\d+)\}")
_DUMMY = {"n": "river", "a": "wise", "v": "love"}  # what an earlier slot looks like to _need


def parse(text: str) -> list:
    """Frame text (alternatives already chosen) -> parts: separator, word or Slot, ..."""
    slots: list[Slot] = []
    by_ref: dict[str, Slot] = {}
    out, pos = [], 0
    for m in _SLOT.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        if m.group(5):
            slot = by_ref[m.group(5)]
        else:
            ref, kind, cls, form = m.group(1), m.group(2), m.group(3), m.group(4)
            form = form or {"n": "sg", "a": "adj"}[kind]
            before = "".join(x if isinstance(x, str) else "x" for x in out).rstrip()
            lw = [_DUMMY[x.kind] if isinstance(x, Slot) else x for x in _words_of(out)]
            need = "any"  # a headword, a plural, ...; else what its determiner wants
            if kind == "n" and form in ("sg", "poss") and before:
                need = _frame_need(lw)
            cap = not before or before.endswith((".", "?", "!"))
            slot = Slot(len(by_ref) + len(slots), kind, cls, form, need, cap, -1)
            slots.append(slot)
            if ref:
                by_ref[ref] = slot
        out.append(slot)
    out.append(text[pos:])
    parts: list = []
    for piece in out:
        if isinstance(piece, Slot):
            parts.append(piece)
            continue
        split = _WORD_RE.split(piece)
        if parts and not isinstance(parts[-1], str):
            parts.append(split[0])
        else:
            parts = [*parts[:-1], (parts[-1] if parts else "") + split[0]] if parts else [split[0]]
        parts.extend(split[1:])
    return parts


def _frame_need(lw: list) -> str:
    """Like the miner's rule, but a frame's own words between the determiner and the slot
    ("your larger {n.x}", "the surest {n.x}") count as adjectives: look back up to three words
    for a determiner, stopping at a noun or a word that opens a phrase."""
    if "little" in lw[-2:] and "a" in lw[-3:]:
        return "mass"  # "a little vanity", "a little more vanity"
    for w in reversed(lw[-3:]):
        if not isinstance(w, str) or w in _PHRASE_OPENERS or w in ("river", "love"):
            break
        if w in DETERMINERS_COUNT:
            return "count"
        if w in DETERMINERS_ANY or w.endswith(("\u2019s", "'s")):
            return "any"
    return _need([*lw, "x"], len(lw), _LEX)


_PHRASE_OPENERS = frozenset(
    """of in on to for with by from is are was be and or but than as without like into upon
    at about between before after""".split()
)


def _words_of(pieces: list) -> list:
    out: list = []
    for piece in pieces:
        if isinstance(piece, Slot):
            out.append(piece)
        else:
            out.extend(w.lower() for w in _WORD_RE.split(piece)[1::2])
    return out
