# ruff: noqa: E501 -- one frame per line: a frame reads best whole
"""Hand-written aphorism frames, by voice: the shapes each source is famous for (Bierce's
definitions, Wilde's inversions, Laozi's paradoxes, ...), written fresh, never copied; each
blank is typed tightly enough that any word of its class makes a clear line.

Syntax: {n.CLASS} a noun (number from its determiner: "a {n.x}" wants a count noun, a bare
"{n.x}" a mass noun), {n.CLASS.pl} plural, {n.CLASS.poss} possessive; {a.CLASS} an adjective;
{v.CLASS.FORM} a verb (base, s, past, pp, ing). "{1:n.virtue} ... {1}" repeats one word.
[one|other] picks one of the texts. Classes are lexicon.py's.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from bot.quotes.aphorism.slots import (
    DETERMINERS_ANY,
    DETERMINERS_COUNT,
    WORD_RE,
    Slot,
    need_after,
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
        We suffer more in [imagination|the mind] than in {n.hardship}.
        Nothing that [fortune|fate|time] brings is too heavy for a {a.good} [mind|soul].
        The [shortest|surest] road to {n.calm} runs through {n.virtue}.
        Hold {n.goods} the way a guest holds a borrowed cup: gladly, and without a grip.
        When {n.hardship} comes, ask one thing: is it mine to change? If not, it is mine to bear.
        The {a.good} man is not spared {n.hardship}; he is only not conquered by it.
        No one can rob you of {n.virtue}; you can only set it down yourself.
        Call {n.hardship} a wrestler sent to make you strong, and it stops being an enemy.
        Why be astonished by {n.hardship}? It was on the list of human things from the start.
        Do your duty in {n.hardship} exactly as you did it in better days.
        The less you need of {n.goods}, the less fortune can hold you hostage.
        Treat {n.passion} as a fever: let it break before you decide anything.
        Whoever is ruled by {n.passion} serves a master he never chose.
        There is no {n.hardship} so great that it cannot be borne one hour at a time.
        The slave who commands his {n.passion} is freer than the master who obeys his.
        Death is the one appointment no {n.people} has ever missed.
        No man is made worse by {n.hardship}, only by his own {n.vice}.
        It is in {n.hardship}, not after it, that a man is asked to be {a.good}.
        The wheel that brought you {n.goods} owes you nothing when it turns.
        Ask what {n.goods} will be worth on your last day, and spend your hours accordingly.
        Keep your {n.virtue} in your own hand and your {n.goods} at arm's length.
        Life feels short mostly to those who have spent it chasing {n.goods}.
        Expect to meet the {a.bad} today, and decide before breakfast that you will stay {a.good}.
        The ones who had {n.goods} and the ones who envied them are now the same silence.
        If {n.goods} brought peace, the most envied men would be the most serene.
        Yesterday's {n.hardship} is over and tomorrow's has not come; why carry both today?
        Does {n.hardship} stop you from being {a.good}? No? Then it has not touched you.
        Govern your {n.passion} while it is small; grown, it will govern you.
        Call nothing yours that a thief, a fever or a tyrant can take, and you will never call {n.goods} yours.
        Rehearse {n.hardship} now and then, so that when it comes it finds you practised.
        No one becomes {a.good} by accident; the habit is built one choice at a time.
        {n.hardship} is the one honest teacher fortune sends: it shows you who your friends were.
        Before you condemn another's {n.vice}, look for its seed in yourself.
        Make peace with death, and no {n.people} on earth can threaten you.
        The {n.people} who quarrels with the weather will be busy all his life.
        Your post is wherever {n.hardship} has placed you; hold it like a soldier.
        A {a.good} man does not ask whether the task is pleasant, only whether it is his.
        Want little, say less, and fear nothing but your own {n.vice}.
        Who is free? Only one whom neither {n.passion} nor {n.goods} can move.
        Seeking peace in {n.goods} is drinking salt water to cure a thirst.
        The {a.bad} man needs no judge; he must spend every hour with himself.
        Grumble about {n.hardship} to no one, least of all to yourself.
        You did not choose to play the {n.people}; you choose only how well to play it.
        The present is the only place where {n.virtue} can be practised; everywhere else it is only planned.
        Do what the hour asks of a {a.good} man, and leave the applause to fortune.
        The {a.good} are struck by the same arrows as the rest; they do not go about showing the wounds.
        Do not postpone being {a.good}; death keeps no waiting list.
        For the {a.good} man, even {n.hardship} is only more material to work with.
        To resent {n.hardship} is to suffer it twice, and the second time by choice.
        A steady mind treats {n.goods} and {n.hardship} alike, as weather passing over a mountain.
        Seek {n.virtue} as men seek {n.goods}, and you will be rich within a year.
        Men fear {n.hardship} more than {n.vice}, which is fearing the rain more than the fire.
        Fortune holds the keys to every room but one, and in that one you keep your {n.virtue}.
        The archer owns his aim but not the wind; so you own your choices, never your {n.goods}.
        At life's banquet {n.goods} is a dish passed round: take a little, and never reach across the table.
        Bound to fate's cart, you will go into {n.hardship} either way; you choose only whether to walk or be dragged.
        Only a fool looks for figs in winter, or for {n.goods} after fortune has moved on.
        The emerald does not dim when no one admires it; neither does {n.virtue}.
        {n.goods} is written in sand, and the tide is always coming in.
        In {n.hardship}, steer as a pilot steers in a storm: not cursing the sea, only minding the helm.
        A philosopher's school is a surgery: you should leave it sore, and lighter by a little {n.passion}.
        Be your own sculptor: chip away a little {n.vice} each day, and the statue will appear.
        Each evening, audit your day like a merchant: what did {n.passion} cost you, and what did it buy?
        Death's gate takes {n.goods} from every traveller; only what you have become goes through.
        The emperor and the humblest {n.people} pay the same fare on the last ferry.
        We would never hand a stranger our purse, yet we hand our hours to {n.passion} every day.
        A man who obeys his {n.passion} has put a child in charge of the house.
        With one hand fortune gives {n.goods}, and the other hand stays free to take it back.
        Envy no one his {n.goods}; fortune has not finished with him yet.
        The world can make you poor, sick or lonely; only you can make yourself {a.bad}.
        I would rather be {a.good} and forgotten than {a.bad} and famous.
        Love of mankind begins with your duty to the {n.people} at your door.
        Listen to {n.passion} as you would to a drunk friend: kindly, and without taking his advice.
        Chain a man's body and you have chained the house, not the tenant; he is still free to be {a.good}.
        {n.goods} is neither good nor bad; what you do with it decides which.
        A morning thought of death makes {n.hardship} look smaller by noon.
        Nobody rages at the blind for stumbling; why rage at the {a.bad}, who cannot see either?
        Compare your {n.goods} with a neighbour's, and you have let him set the price of your peace.
        The vine bears its grapes without waiting to be thanked; do good without waiting for {n.people.pl} to notice.
        {n.passion} writes the letter, and regret reads the answer.
        Nothing amuses fortune like a man who is sure of his {n.goods}.
        Death cannot take more than this hour from any {n.people}, for this hour is all any of us holds.
        The universe is one city, and every {n.people} in it is your fellow citizen.
        Bad weather is the only test of whether your {n.virtue} was ever real.
        Meet the {a.bad} with what they lack, not with what they bring.
        Banish the {a.good} to any island you like; they arrive with everything they own.
        A whole life fits into two verbs: bear {n.hardship}, and refuse {n.vice}.
        {n.vice} is a slavery that renews its own contract every morning.
        A prisoner with philosophy for company is less alone than the {a.bad} man at a feast.
        Wait for the world to grow quiet before you seek {n.calm}, and you will be seeking it in the grave.
        Whoever hopes to escape {n.hardship} has already begun to fear it.
    """,
    "tao": """
        The empty [cup|bowl|vessel] holds the most; the heart full of {n.passion} holds nothing.
        To [lead|rule] {n.people.pl}, walk behind them.
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
        Be like water: [soft|low|clear], [patient|yielding], and without {n.vice}.
        Who knows others is [clever|learned]; who knows himself is {a.good}.
        The [quiet|low|gentle|narrow] way is the way of {n.virtue}.
        The more {n.goods} a [ruler|king] [seeks|gathers], the more [thieves|rebels] there are.
        When {n.virtue} is lost, {n.vice} [appears|follows].
        The [sea|valley|river] is [great|mighty] because it lies low; so is the {a.good} [man|heart].
        He who speaks of {n.calm} does not know it; he who knows it is silent.
        Every [battle|contest|quarrel] is won or lost in {n.virtue} before it is fought.
        The {a.good} general [seeks|finds] victory in {n.virtue}, not in [numbers|soldiers|swords].
        Great {n.virtue} looks like {n.vice}.
        A thousand [days|years] of {n.virtue} begin with one [morning|hour|step].
        The soft [wears|outlasts] the hard, as water wears the stone; so {n.calm} wears down {n.passion}.
        The sage lets go of {n.goods}, and so has nothing to lose.
        Any {n.people} who has learned from water does not argue with the stone; he goes around it.
        The less the sage says, the more the {n.people.pl} listen.
        Close your fist on {n.goods}, and you will hold only your own fingers.
        Stay in the low place, and the {n.people.pl} will come to you as rivers come to the sea.
        The harder you chase {n.goods}, the longer the road becomes.
        Muddy water clears when it is left alone; so does a heart stirred up by {n.passion}.
        Let the enemy's {n.passion} march him into a trap you never had to build.
        Know your rival's {n.passion} as well as your own, and you will rarely need to fight.
        The tallest tree is the first the axe visits, and the proudest {n.people} the first to fall.
        Refuse to race, and no {n.people} in the world can beat you.
        Keep a room in your heart empty, and {n.calm} will come to live there.
        To one who knows enough, a bowl of rice is a feast; to one ruled by {n.passion}, a palace is a cell.
        Boast of your {n.calm}, and it has already left you.
        From the low place no {n.people} has ever fallen.
        Pull up {n.passion} as a seedling; wait, and you will need an axe.
        The {n.people} who wants nothing cannot be bribed, threatened, or hurried.
        Yield like water, and the strongest {n.people} strikes only air.
        Lean on {n.goods} and you lean on a reed; lean on nothing, and you cannot fall.
        Cling to {n.goods} like an autumn leaf, and the wind will win all the same.
        The [proud|vain] climb to be seen; water sinks, and every thirsty {n.people} finds it.
        Command the tide, and you are only a {n.people} with wet feet.
        Once a {n.people} says "I know", he has stopped walking.
        Speak less of {n.calm}, and you will find more of it.
        Receive {n.hardship} as the valley receives the rain, and let it run on to the sea.
        In a hurry, the {n.people} arrives tired at the wrong door.
        Let the angry {n.people} blow like the wind; the grass bows, and outlasts him.
        Be shapeless like water, and no {n.people} will find a way to hold you.
        The victory won without a battle earns no songs; no {n.people} ever saw the war.
        An army led by {n.passion} marches fast and arrives nowhere.
        Let your rival win the small quarrels; his {n.vice} will lose him the war.
        Never corner a rival; a man with no way out is braver than any {n.people}.
        Let the {a.bad} mock softness; they have never watched a river carve a canyon.
        Act from {n.calm}, and nothing you do will need undoing.
        A mind empty of {n.passion} is not poor; it has room.
        Lead {n.people.pl} as water leads a boat: from underneath.
        A quiet flame lasts the night; a flame of {n.passion} burns the house down.
        The restless {n.people} is always arriving; the sage has never left.
        When you lose {n.goods}, count what is left; it is nearly all of you.
        Bend to {n.hardship} like the bamboo, and the storm will pass over you.
        Be patient as water with a stone, and no {n.hardship} will last longer than you.
        Heaven does nothing, and the seasons arrive; the {n.people} does everything, and is late.
        Without leaving his doorway the sage finds {n.calm}; the traveller finds only more roads.
        A {n.people} who cannot bend is only a tree waiting for the axe.
        {n.calm} is not something you add; it is what remains when you stop adding.
        Sit still long enough, and {n.calm} comes to sit beside you like a shy bird.
        Be a mirror: show every {n.people} his own face, and keep no one's.
        With nothing to defend, a {n.people} can sleep in an open field.
        The sage teaches by {n.calm}, and his pupils never forget the lesson.
        The best knot needs no rope; bind a {n.people} to you with kindness, and no one can untie it.
        A bellows is empty and never runs out; a {n.people} full of words runs dry by noon.
        Three treasures guard the sage: {n.virtue}, thrift, and a seat at the back.
        Too many colours blind the eye, and too much {n.passion} blinds the heart.
        The lowest field drinks the most rain; the {n.people} who asks learns the most.
        Choose your ground, and half the war is won; let {n.passion} choose it, and the whole war is lost.
        A wise retreat is a victory that {n.passion} cannot see.
        A {a.bad} general is worth ten thousand men to the other side.
        Never send {n.passion} to bargain for you; it always pays too much.
        Know when to stop, and {n.passion} cannot drag you over the edge.
        Keep sharpening a blade and you blunt it; keep polishing your {n.virtue}, and it turns to pride.
        The hard teeth fall out long before the soft tongue; the gentle {n.people} outlasts the harsh one.
        A flute sings because it is hollow; a {n.people} full of himself can only rattle.
        Under rough cloth the sage keeps a heart of jade; the {n.people} in silk is often silk all the way through.
        The farmer's horse ran off and came back with a mare; wait a while before you curse {n.hardship}.
        The good cook's knife stays sharp because it finds the gaps between the bones; find the gaps in {n.hardship}.
        All {n.goods} carries its opposite folded inside it, like the seed inside the fruit.
        Nobody ever fell asleep by trying; {n.calm} arrives the same way.
        Every {n.people} must kneel to drink from a stream; the water will not climb up to meet him.
        Leave your door open: a thief would find only {n.calm}, and no one can carry that off.
        Water fits every jar and stays water; so does the sage among {n.people.pl}.
        Struggle in a net and it tightens; be still in {n.hardship}, and look for the knot.
        When a {n.people} stops trying to be seen, he begins to see.
        Travel light: no {n.passion}, no grudge, and no map.
        Only a {n.people} with nothing to prove can afford to lose an argument.
        The peak is admired by every {n.people}, and the valley is where he lives.
        A wild wind does not last the morning, nor a downpour the day; why should {n.passion}?
        Flowers are praised by every passing {n.people}; the sage waters the root.
        The sage cures {n.vice} the way the sun cures frost: without touching it.
        {n.goods} is a cicada: loudest in high summer, and silent by the first frost.
        Sweet and bitter come from the same pot; {n.hardship} is only the spoonful you did not order.
        Nothing seems to grow in winter, yet the roots are busy; so it is in the season of {n.hardship}.
        Stop feeding {n.passion}, and like a stray cat it will wander off to another door.
        No one notices the shade of an old tree until it is gone; the {a.good} are missed the same way.
        The rain falls on every field alike; true kindness does not ask whether a {n.people} deserves it.
        An empty boat that drifts into yours is never cursed; sail without {n.passion}, and few will curse you.
        The fish never thinks about water until it lands on the bank; so it goes with {n.goods}.
        Who owns the mountain: the lord with the deed, or the {n.people} who climbs it to watch the sunrise?
        The frog in the well thinks the sky is the size of its well; every {n.people} has a well of his own.
        Even the river must pass through the gorge to reach the sea; {n.hardship} is only the narrow part.
    """,
    "nietzsche": """
        Every {n.virtue} is a {n.vice} that has learned to stand up straight.
        He who fights {n.vice} too long [acquires|learns] its [manners|habits].
        The {a.good} {n.people} loves his [enemies|dangers|obstacles].
        Whatever does not destroy a {n.people} teaches him {n.virtue}.
        We love {n.goods} too much to [judge|see] it honestly.
        In {n.hardship}, the {n.people} is honest with his {n.vice}.
        {n.virtue} without {n.passion} is [a bow without a string|a river without a current].
        All {a.good} things [laugh|dance]; only {n.vice} walks slowly.
        [Beware|Distrust] every {n.people} in whom the [urge|impulse] to punish is powerful.
        Become what you are: a [stranger|master|beginning] to your own {n.passion}.
        A {n.people} is a rope stretched between {n.vice} and {n.virtue}.
        Give a {n.people} a reason to live, and he will carry any {n.hardship}.
        Every deep thinker [fears|dreads] being understood more than {n.hardship}.
        We [praise|love] {n.goods}, but not the [labours|roads|years] that lead to it.
        All [great|good] thoughts were [born|conceived] while walking, far from {n.goods}.
        The [will|thirst] for {n.goods} is a [will|thirst] for power in disguise.
        Madness is rare in one {n.people}; in [crowds|parties|nations] it is the rule.
        Is {n.virtue} a [strength|weakness]? Ask the one who [lacks|needs] it.
        The best [cure|medicine] for {n.virtue} is a little {n.vice}.
        Do not trust a thought that was not [born|found] in {n.hardship}.
        From the summit, even {n.hardship} looks like a rumour from the valley.
        The herd forgives a man any {n.vice}, but never his [solitude|laughter].
        What the weak call {n.virtue} is often only [fatigue|fear] with good manners.
        Learn to dance upon your {n.hardship}: no floor is firmer.
        Scratch a {a.good} man deeply enough and you find his {n.passion}, well dressed.
        Every morality begins as one man's {n.passion} and ends as everyone's duty.
        Pity does not lessen {n.hardship}; it only adds a second sufferer.
        You call it {n.virtue}; I call it {n.passion} grown tired.
        Laughter that has never known {n.hardship} is only noise.
        Beware the {a.good}: nothing enrages them like a virtue they did not invent.
        Take away the audience, and see how much of your {n.virtue} remains.
        Small men ask for {n.goods}; the higher man asks for a heavier load.
        Learn laughter first and {1:n.virtue} second; in the other order, {1} turns sour.
        Who taught you that {n.passion} is a sin? Someone who feared yours.
        Keep your {n.virtue} to yourself: preached, it turns into vanity.
        To the herd, every {n.people} who walks alone is a [suspect|criminal].
        The more {n.calm} a man preaches, the more {n.passion} he is hiding.
        Not {n.hardship} but comfort is the [enemy|poison] of the higher man.
        Guilt is often only {n.passion} that could find no way out.
        Choose your enemies for their {n.virtue}; you will come to resemble them.
        {n.virtue} that cannot dance is [heavy luggage|a burden to its owner].
        Live among the herd and you will begin to bleat, calling it {n.virtue}.
        Seek a little {n.hardship}: the soul grows only where the ground is hard.
        Whoever would climb must first agree to go under; {n.hardship} is the first step.
        Overcome yourself every day, or your {n.virtue} will harden into a habit.
        Praise from the herd is the surest sign that your {n.virtue} has grown tame.
        Forbid {n.passion}, and it will come back dressed as [virtue|duty|justice].
        The wicked at least confess their {n.passion}; the righteous call theirs [justice|virtue|duty].
        In solitude {n.virtue} ripens; in the crowd it is picked green.
        Nobody is [crueller|more dangerous] than the man who is certain he is {a.good}.
        A thought that has never walked through {n.hardship} is only [a mood|an opinion].
        Spare me your pity, {a.good} friend: it is only contempt wearing gloves.
        Nothing offends the {a.good} like a man who does not need their pity.
        Your neighbour praises your {n.virtue} because it costs him nothing and serves him well.
        Laugh at {n.hardship} once, and it will never again look quite so tall.
        From {n.hardship} one comes back either smaller or much larger, never the same.
        {n.calm} that has never been in danger is only sleep with its eyes open.
        The strong do not flee {n.hardship}; they use it as a whetstone.
        Who knows nothing of {n.hardship} should not preach {n.virtue}.
        In {n.hardship}, the soul remembers that it has a spine.
        {n.virtue} once mastered is a rung, not a throne.
        Do not cut out your {n.passion}; saddle it, and ride it higher.
        Every {a.good} soul has a cellar, and in it lives {n.passion}.
        Every height is paid for in {n.hardship}, and the mountain never gives change.
        Your {n.passion} knows more about you than all your philosophers.
        Many a {a.good} man is only a wolf whose teeth have gone blunt.
        Ask the herd about {n.virtue}, and it will describe its own fences.
        One does not refute {n.passion}; one outgrows it.
        No {n.virtue} worth the name was ever born in a warm room.
        Laughter has toppled more idols than all the sermons against {n.vice}.
        The higher man asks more of himself than any {n.people} would dare to ask of him.
        The {n.people} who pities you is enjoying the view from a small height.
        Go into solitude until you are {a.good}; return only when you no longer need applause.
        The solemn man fears laughter more than {n.hardship}.
        Leave [contentment|comfort] to the cows; even a {n.people} needs a mountain to climb.
        Those who cry out loudest against {n.vice} are often its most faithful customers.
        Alone, a man grows either {a.good} or [mad|wild]; the herd makes him neither.
        Whoever wants {n.goods} above all has already begun to grow old.
        Pity teaches the sufferer to display his {n.hardship} like a medal.
        The question is not whether your {n.virtue} is admired, but whether it makes you stronger or only smaller.
        The herd calls a man {a.good} when he is merely easy to keep.
        Hold your {n.virtue} up to laughter; if it survives the joke, you may keep it.
        What would you dare if {n.hardship} held no terror for you? That is the life you are refusing.
        The crowd lends a man its {n.passion}; only solitude teaches him his own.
        Behind every sermon on {n.virtue} stands someone who profits from your obedience.
        When {n.hardship} finds your friend, come as a comrade, not a mourner; save your tears for his funeral.
        Solemnity is the costume {n.vice} wears to church.
        Man is the only animal that punishes in others the {n.vice} he hides in himself.
        Thank your {n.hardship}: it forced you to become someone it could not break.
        The herd has one commandment: be {a.good}, but never more than your neighbour.
        The ascetic does not conquer {n.passion}; he only finds a holier place to keep it.
        Whoever cannot bear his own company will sell his [honesty|self-respect|candour] for a seat among the {a.bad}.
        Justice, in the mouth of the {a.good}, is often revenge that has learned to wait.
        Of every commandment, ask one question: whose {n.passion} wrote it?
        Even a {1:a.good} man tells himself one daily lie: that he is {1} for its own sake.
        Nurse {n.passion} for twenty years, and it will start calling itself a conviction.
        Whoever arranges his whole life to avoid {n.hardship} has let it rule him anyway.
        Where everyone agrees about {n.virtue}, nobody is thinking about it.
        Solitude shows whether your {n.virtue} was ever yours, or only the herd's uniform.
        Could you choose your {n.hardship} again, hour for hour, forever? Then you have said yes to your life.
        Self-pity invites {n.hardship} to stay for dinner, then complains that it never leaves.
        A nation that can no longer laugh at its {n.vice} will soon build temples to it.
        Throw off every master, and {n.passion} will soon apply for the vacancy.
        Every healer of souls must first persuade you that your {n.passion} is a disease.
        Who gave the herd the right to define {n.virtue}? You did, every time you obeyed.
        Why are the {a.good} so often tired? Wearing a mask all day is heavy work.
        Stand on yesterday's {n.virtue}; do not kneel to it.
        Do not make a virtue of your {n.hardship}; make a weapon of it.
        Pity robs the sufferer of what {n.hardship} had left him: the pride of bearing it alone.
        A thinker's {n.passion} is the fire; his philosophy is only the smoke.
        The flatterers leave when {n.hardship} arrives; count that as the first of its gifts.
        Kill a little of your {n.vice} each day, and bury it without ceremony.
        In the desert, a man finally hears his own {n.passion}, and it is louder than he feared.
        Laughter is the only sermon the {a.bad} cannot sleep through.
        Until you have risked something, you know your {n.virtue} only by hearsay.
        Clutch at {n.goods} with both hands, and you will have none left for climbing.
        If a truth leaves everyone's {n.vice} comfortable, it was whispered, not spoken.
        Think for yourself, and your age will call you {a.bad}; the next will call you early.
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
        {n.virtue}, n. A quality much admired in servants and seldom required of their masters.
        {n.virtue}, n. Conspicuous chiefly by its absence, and always in other people.
        {n.virtue}, n. Nature's device for keeping a man out of high office.
        {n.virtue}, n. What the rich expect of the poor and never notice among themselves.
        {n.virtue}, n. Something [best|most] admired at a [safe|comfortable] distance.
        {n.virtue}, n. The name given to a weakness by those who profit from it.
        {n.virtue}, n. Practised by the poor from necessity and by the rich as a hobby.
        {n.virtue}, n. An [ornament|article of dress] always recommended in someone else's size.
        {n.virtue}, n. Not a quality but a performance, given chiefly for the neighbours.
        {n.vice}, n. Something so common among one's neighbours that it would be rude not to share it.
        {n.vice}, n. Good sense, when it is our own; a scandal, when it is our neighbour's.
        {n.vice}, n. A private weakness that becomes policy once enough people share it.
        {n.vice}, n. The only possession a {n.people} may count on his heirs to keep.
        {n.vice}, n. What a {n.people} calls his temperament when he has no intention of mending it.
        {n.vice}, n. Condemned on Sunday, practised on Monday, and forgiven by Tuesday.
        {n.vice}, n. In politics, a qualification; in private life, a failing.
        {n.vice}, n. Visible at any distance, except in the mirror.
        {n.vice}, n. [Chief|Principal] ingredient of every readable biography.
        {n.goods}, n. Something a {n.people} despises in public until it is offered to him.
        {n.goods}, n. The reward of merit, as distributed by chance.
        {n.goods}, n. A loan from fortune, repayable on demand and with interest.
        {n.goods}, n. What the {a.good} deserve and the {a.bad} [receive|collect].
        {n.goods}, n. That which makes one's jokes wittier without altering a word of them.
        {n.goods}, n. Proof positive that providence has a sense of humour.
        {n.goods}, n. Every father's prayer for his children and his grievance against everyone else.
        {n.goods}, n. In society, the only merit that needs no introduction.
        {n.hardship}, n. An affliction that builds character, chiefly in other people.
        {n.hardship}, n. What the comfortable recommend as a tonic for the poor.
        {n.hardship}, n. The school with the finest teachers and the fewest surviving pupils.
        {n.hardship}, n. That state in which a {n.people} learns how few friends he has.
        {n.hardship}, n. A blessing in disguise, and a disguise that nobody has ever seen through.
        {n.hardship}, n. Something on which the well-fed [write|preach] excellent sermons.
        {n.hardship}, n. One's only faithful companion, and the worst company imaginable.
        {n.hardship}, n. Fortune's quickest cure for optimism and dinner invitations.
        {n.passion}, n. An adviser who speaks first and is obeyed before reason.
        {n.passion}, n. A fire that warms the poet and burns the neighbours.
        {n.passion}, n. [Mainspring|Motive] of every great deed and every petty lawsuit.
        {n.passion}, n. Something felt nobly by oneself and foolishly by everyone else.
        {n.passion}, n. The only lodger who pays no rent and cannot be evicted.
        {n.passion}, n. In a lover, poetry; in a neighbour, noise.
        {n.passion}, n. Whatever keeps a {n.people} awake and his [lawyer|physician] busy.
        {n.calm}, n. [Chiefly|Mostly] the product of a private income and a bad memory.
        {n.calm}, n. What a {n.people} longs for all week and cannot bear by Sunday afternoon.
        {n.calm}, n. A luxury the poor cannot afford and the rich cannot endure.
        {n.calm}, n. The condition of a man who has stopped answering his letters.
        {n.calm}, n. Something always enjoyed last summer or promised next year.
        {n.people}, n. One who blames fortune for his failures and credits his talent with his luck.
        {n.people}, n. Any creature that would rather be flattered than understood.
        {n.people}, n. Someone whose advice is given freely and priced accordingly.
        {n.people}, n. An animal that walks upright chiefly to look down on its neighbours.
        {n.people}, n. Somebody we flatter in public and discuss at dinner.
        {n.people}, n. A hero to himself and an expense to everyone else.
        {n.people}, n. The last person to learn what everyone has been saying about him.
        {n.people}, n. Everybody's critic and nobody's example.
        {a.good}, adj. Said of a man who has not yet been [tempted|tested].
        {a.bad}, adj. Describing one's neighbour when he is more successful than oneself.
        {a.good}, adj. Too closely watched by the neighbours to be anything else.
        {a.bad}, adj. An insult in the pulpit and a recommendation in [business|politics].
        {a.good}, adj. What every epitaph calls the deceased, and no neighbour called the living.
        {a.bad}, adj. Having one's own failings, but without the discretion.
        {n.virtue}, n. A quality that every man claims and no witness has [yet|ever] confirmed.
        {n.virtue}, n. Formerly a habit; now a subject for [lectures|after-dinner speeches].
        {n.virtue}, n. Its own reward, which explains the shortage of applicants.
        {n.virtue}, n. Possessed in abundance until the moment it is required.
        {n.virtue}, n. See [Self-interest|Self-love], where it is more honestly described.
        {n.virtue}, n. Cheapest of things to recommend and [dearest|costliest] to practise.
        {n.virtue}, n. Resolved upon at twenty and recalled at sixty as an achievement.
        {n.virtue}, n. An heirloom handed down in mint condition through many generations.
        {n.vice}, n. The failing a preacher describes most vividly, and from memory.
        {n.vice}, n. A failing found only in the second and third persons.
        {n.vice}, n. Curable by sermons, in the opinion of the clergy; by death, in the opinion of everyone else.
        {n.vice}, n. Known to every man by hearsay, and explained by him with authority.
        {n.vice}, n. Virtue's poor relation, who somehow always dines at the head of the table.
        {n.goods}, n. A visitor whose charms are noticed only as it leaves.
        {n.goods}, n. Fortune's gift, [habitually|regularly] delivered to the wrong address.
        {n.goods}, n. The one blessing that a man's dearest friends can never quite forgive.
        {n.goods}, n. That of which no man has enough, except his brother-in-law.
        {n.goods}, n. Called fleeting by every moralist, in the tone of a man still waiting for his share.
        {n.hardship}, n. Invaluable, according to all who have since escaped it.
        {n.hardship}, n. Heaven's medicine for pride, [always|invariably] prescribed in a fatal dose.
        {n.hardship}, n. An ordeal that improves wonderfully with each retelling.
        {n.hardship}, n. The affliction that a man's relatives bear with exemplary fortitude.
        {n.hardship}, n. Something every man is sure he would bear more gracefully than his neighbour.
        {n.passion}, n. An emotion a man confesses to his diary and denies at dinner.
        {n.passion}, n. A horse which reason [imagines|believes] it is riding.
        {n.passion}, n. The author of every letter that was better left unsent.
        {n.passion}, n. Conquered by every philosopher, in books written at its dictation.
        {n.passion}, n. Source of five minutes' eloquence and twenty years of ridicule.
        {n.calm}, n. A condition recommended by every sage and interrupted by every doorbell.
        {n.calm}, n. Pursued with such agitation as to be forever out of reach.
        {n.calm}, n. Most easily kept by those whose troubles live abroad.
        {n.people}, n. A borrower of advice, who always returns it unused.
        {n.people}, n. The one witness to his own character that no court would admit.
        {n.people}, n. Possessor of two ears and one mouth, which he uses in the opposite proportion.
        {n.people}, n. An account book on legs, recording every favour given and none received.
        {a.good}, adj. A compliment paid to a man from whom one hopes to borrow.
        {a.good}, adj. Unfit for business, politics and conversation; suitable chiefly for heaven.
        {a.bad}, adj. A charge most safely made against the absent.
        {a.bad}, adj. Unlike ourselves, a distinction apparent to ourselves alone.
    """,
    "wilde": """
        To be {a.good} is [easy|common]; to be {a.bad} [is|takes] an art.
        {n.virtue} is the [last|first] refuge of the {a.bad}.
        {n.goods} is far too [important|serious] to be left to the {a.good}.
        {n.vice} is merely {n.virtue} in [evening dress|a better coat].
        The secret of {n.goods} is to [forget|ignore] one's {n.virtue}.
        It is [absurd|silly] to divide people into {a.good} and {a.bad}; they are [charming|dull] or [tedious|amusing].
        We [forgive|admire] {n.vice} in our friends, never {n.virtue}.
        A {n.people} who knows the [price|cost] of {n.goods} knows the value of no {n.virtue}.
        Every {a.good} {n.people} is a [reproach|warning] to the {a.bad} ones.
        {n.vice} is the only [virtue|quality] that [needs|asks] no [practice|rehearsal].
        Be yourself; everyone else is [already taken|a rumour|a copy], and {n.virtue} is rarely in fashion.
        {n.goods} is the only thing the {a.state} cannot [buy|forgive].
        The only way to keep {n.virtue} is to [give|lend] it away.
        Some bring {n.calm} wherever they go; others whenever they go.
        Always forgive your enemies: nothing [annoys|troubles] them so much as {n.virtue}.
        A little {n.virtue} is a dangerous thing, and a great deal of it is [fatal|ruinous].
        {n.virtue} is so [rare|delicate] that it should be practised only in private.
        Nothing is so fatal to {n.virtue} as a [reputation|name] for it.
        The {1:a.good} are seldom amusing, and the amusing are seldom {1}.
        To have {1:n.goods} is charming; to want {1} is [merely|simply] exhausting.
        A {n.people} who can explain his own {n.passion} has never [really|truly] felt it.
        We [admire|praise] {n.virtue} in others chiefly because it is so convenient for us.
        The {a.bad} have one great advantage over the {a.good}: they are never disappointed in themselves.
        Everyone is {a.good} at breakfast; the [difficulty|trouble] begins at dinner.
        Give a {n.people} {n.goods} and he will [discover|decide] that he always deserved it.
        {n.hardship} has one great merit: it makes conversation so much more [interesting|amusing].
        Society forgives a {n.people} his {n.vice}; it never forgives his [sincerity|punctuality|good memory].
        Nothing makes one so {a.bad} as a [lecture|sermon] on being {a.good}.
        In youth we despise {n.goods}; in old age, only the people who have it.
        The young are forgiven their {n.vice}; the old are forgiven only their money.
        The quickest way to lose a {n.people.poss} respect is to agree with him.
        Nobody is so [exhausting|tiresome] as a {n.people} in search of {n.calm}.
        Anyone can be {1:a.good}; to be {1} and charming at [once|the same time] requires genius.
        What a {n.people} calls his {n.virtue} is usually [a lack of opportunity|a failure of nerve|a want of imagination|fear of the neighbours].
        Art is the only place where {n.passion} is perfectly [respectable|well-behaved].
        A {n.people} is never so {a.bad} as when he is trying to [be interesting|impress a stranger].
        {n.passion} makes a [dreadful|tiresome] guest but a [splendid|brilliant] conversationalist.
        An artist who feels {n.passion} works badly; one who remembers it works [beautifully|well].
        Ask a {n.people} for his opinion of {n.vice}, and he will describe his [neighbour|rival].
        Youth thinks {n.hardship} is [romantic|poetic]; age knows it is merely [inconvenient|tedious].
        One is young as long as one can still be [surprised|shocked] by one's own {n.vice}.
        Grow old if you must, but never grow {a.good}; it is [fatal to conversation|so unbecoming].
        Two things spoil a {n.people}: [success|praise|money] too early and {n.virtue} too late.
        It is [perfectly|quite] easy to be {a.good} on a [full stomach|good income].
        I adore {n.virtue} in principle; in person it [bores|tires] me [dreadfully|terribly].
        The {a.good} never notice how much [trouble|work] they cause the rest of us.
        If you cannot be {a.good}, be [amusing|charming]; nobody will notice the difference.
        {n.vice}, [confessed|admitted] with [grace|charm], is very nearly a [virtue|talent].
        Half the [pleasure|charm] of {n.goods} is watching others pretend not to want it.
        Show me a {n.people} without {n.vice}, and I will show you a [bore|liar].
        One should keep a little {n.vice} in reserve, if only to have something to [renounce|give up] in old age.
        Never apologise for your {n.passion}; it is the most interesting thing about you.
        There are two kinds of {n.people.pl}: the {a.bad} and the [dull|tedious].
        The cruellest thing one can say of a {n.people} is that he is {a.good}, and nothing [else|more].
        {n.virtue} is charming in the young and [tiresome|insufferable] in the old.
        To appreciate {n.calm}, one must first have been thoroughly [exhausted|bored] by {n.passion}.
        {n.calm} is very often only {n.passion} that has dined well.
        The trouble with {n.virtue} is that it never knows when to go home.
        At twenty the {a.bad} are charming; at sixty they are merely [tiresome|tedious].
        Most {a.good} people have simply never been [tempted|properly tempted].
        Temptation flatters a {n.people}: it proves that someone thought him worth [corrupting|the trouble].
        Temptation never knocks; it arrives [dressed|disguised] as {n.virtue} and is [asked|invited] to dinner.
        One can always be {a.good} tomorrow; tonight one has [guests|engagements].
        To be [candid|frank] about one's {n.vice} is charming; to be [candid|frank] about other people's is journalism.
        The {n.people} who never lies has either no imagination or no [friends|invitations].
        Think twice before being {a.good}: people will expect it of you [forever|ever after].
        Conscience is usually {n.passion} speaking in a [graver|lower] voice.
        He who has {n.goods} preaches {n.virtue}; he who has none must practise it.
        Beware the {a.good} man with a mission: he is more dangerous than ten {a.bad} ones.
        Give the public {n.virtue} and it will ask for its money back.
        Every moralist wants to abolish {n.vice}, chiefly in his neighbours.
        Is there anything more tiresome than a {n.people} who has just discovered {n.virtue}?
        Every {n.people} can be bought; the {a.good} ones are merely more expensive.
        Most {n.people.pl} would rather be thought {a.bad} than [dull|ordinary].
        The difference between {n.goods} and [disgrace|ruin|obscurity] is chiefly a matter of [lighting|tailoring].
        The ordinary {n.people} wants to be admired for his {n.virtue} and forgiven for his {n.vice}.
        The worst thing about {n.hardship} is the [sympathy|advice] that comes with it.
        Why should one practise {n.virtue}, when it is so much more [agreeable|pleasant] to recommend it?
        If {n.goods} went only to the deserving, the drawing rooms would be empty.
        Few things are so becoming as {n.hardship} that one has [comfortably|safely] survived.
        Never confess your {n.vice} to the {a.good}; they will forgive it in public.
        {n.calm}, like [relatives|sermons|good advice], is best taken in small doses.
        The old recommend {n.virtue} to the young with the [zeal|warmth] of a man selling a house he no longer lives in.
        A novel [preaching|that preaches] {n.virtue} is [usually|nearly always] a novel [without|lacking] [style|talent].
        To the artist, {n.vice} is a subject; only bad taste is a sin.
        The [sincere|honest] man confesses his {n.vice}; the clever one publishes it in three volumes.
        We adore {n.hardship} on the stage and cross the street to avoid it in real life.
        Scratch a {a.good} man and you will find a vain one with better manners.
        {n.virtue} [rarely|seldom] survives the third mention of it at dinner.
        {n.goods} is delightful precisely because nobody has ever deserved it.
        There is no {n.vice} so vulgar that a large income cannot turn it into [eccentricity|an eccentricity].
        Most people mistake their {n.vice} for a philosophy, which is why they insist on sharing it.
        The surest sign of {n.vice} is an eloquent sermon against it.
        One should never act on {n.passion} before luncheon; after luncheon one should never act at all.
        With age one does not become {a.good}; one merely runs out of alternatives.
        We are ruined less by our {n.vice} than by our [efforts|attempts] to hide it.
        By all means give up {n.vice}, but do keep the anecdotes.
        The perfect guest brings [malice|wit and malice] to the table and leaves his {n.virtue} in the hall.
        Cure a poet of {n.passion} and you have cured his poetry as well.
        {n.virtue} would be far more popular if it could be worn in the evening.
        {n.hardship} is wasted on those who cannot describe it [amusingly|well].
        {n.vice} in a stranger is a curiosity; in a relative it is a life sentence.
        Every young man believes his {n.passion} is unique in history; every old man knows it was only being twenty.
        Too much {n.virtue} in youth leaves one nothing to [regret|smile about] in old age.
        {n.virtue} without an audience is merely a rehearsal.
        The public adores a [wicked|scandalous] artist and forgives a {a.good} one only after his funeral.
        {n.virtue} has never yet sold a newspaper; one good scandal sells ten thousand.
        Only those who have {n.goods} can afford to call it [overrated|vulgar].
        {n.virtue} that costs nothing is worth exactly that.
        A friend overlooks your {n.vice}; an enemy studies it, which is far more flattering.
        The busy world admires {n.calm} as it admires a cathedral: briefly, and from a train.
        Being young is no excuse for being {a.bad}, but it is a remarkably good one.
        The biography of a thoroughly {a.good} man is always a thin book, and seldom finished.
        One candid remark ruins more friendships than ten years of {n.vice}.
        The {a.good} flee temptation, but always leave a forwarding address.
        A {n.people} becomes worth knowing only after his first scandal.
        Keep your {n.calm} in a crisis, and your relations will never quite forgive you.
    """,
    "emerson": """
        Trust [the woods|the river|the seasons]: they keep the {n.virtue} that people forget.
        Every {n.people} is a [student|pupil] of the [sky|woods|sea] he [walks|lives] under.
        The [trees|rivers|seasons] do not hurry, and yet they [arrive|finish]; so it is with {n.virtue}.
        A quiet [hour|walk] in the woods teaches more {n.virtue} than a library.
        Nothing can bring you {n.calm} but your own {n.virtue}.
        The [day|morning] belongs to him who [rises|wakes] with {n.virtue}.
        Go [quietly|slowly] to the woods, and {n.calm} will find you there.
        Most [people|men] lead lives of quiet {n.hardship}; the [woods|river|sparrow] does not.
        A {n.people} is [rich|free] in proportion to the {n.goods} he does not need.
        Build your [house|life] on {n.virtue}, and no [storm|flood|wind] will shake it.
        What lies within a {n.people} is [larger|older] than any {n.goods} around him.
        The {a.good} {n.people} finds a [teacher|sermon] in every [stone|brook|tree].
        To be {a.good} is to be [misunderstood|alone] a little.
        Simplify your [days|wants|house], and {n.calm} will [follow|come].
        Nothing great was ever [done|achieved] without {n.passion}.
        Do not [ask|wait] for {n.calm}; [plant|sow] it.
        Every [sunrise|morning] is a [sermon|lesson] on {n.virtue}.
        Trust the quiet voice within you over a thousand {n.people.pl} outside.
        To copy any {n.people} is to trade your one life for a second-hand one.
        Everything you own asks for a little of your {n.calm} in rent.
        Live deliberately, and even {n.hardship} becomes a teacher rather than a thief.
        Do not seek {n.calm} in the next [town|country]; it [lives|waits] under your own [hat|roof].
        Own little, and {n.calm} will have room to live in your house.
        A pine asks no {n.people}'s permission to grow straight.
        Wake early; {n.calm} is handed out before the town [is up|awakes].
        The woods ask nothing of a man but that he come without his {n.vice}.
        The less you chase {n.goods}, the louder your own voice becomes.
        The forest charges no tuition; it asks only that you bring your {n.calm} and leave your clock at home.
        A man's {n.virtue} is proved not in the town but in the woods, where nobody is looking.
        Every child is a nonconformist until the town teaches him {n.passion}.
        Why borrow another {n.people}'s eyes when the same sky is open to yours?
        What you call {n.hardship}, the [sparrow|pine] calls weather.
        Obey the voice within, though every {n.people} in town [laughs|shakes his head].
        A {a.good} life needs fewer [rooms|things] than a {a.bad} one.
        Once you trust your own eyes, the crowd's {n.passion} can no longer reach you.
        In the woods a man recovers the {n.virtue} the town trained him to forget.
        Never ask the crowd for {n.virtue}; it is still waiting to borrow some.
        {n.calm} is cheap in the woods and dear in the city.
        Do not apologize for your {n.calm}; let the busy explain their hurry.
        Stand on your own {n.virtue}, however small, rather than lean on another's.
        Nature keeps no record of your {n.vice}; each spring opens a new ledger.
        The [bluebird|sparrow] does not wait for {n.goods} before it sings.
        A plain life is a quiet [protest|argument] against the town's {n.vice}.
        To be misunderstood by the town is a small price for your own {n.calm}.
        Your {n.calm} is not in the news; listen for it at the edge of the pond.
        Each man has a [voice|tune] that no {n.people} on earth can sing for him.
        Work as though no {n.people} will ever see it; that is how the bee works.
        Cut your wants in half, and your {n.calm} will double.
        Borrowed {n.virtue} never fits; it was cut for another man's shoulders.
        A still pond holds the whole sky; a mind [stirred|troubled] by {n.passion} holds only itself.
        The {a.bad} man needs a [crowd|mirror]; the {a.good} man needs a road.
        No {n.people}'s approval is worth more than your own.
        Carry a question into the woods; you will carry {n.virtue} out.
        The squirrel reads no philosophy and knows no {n.vice}.
        What a {n.people} is alone in the woods, he is; the rest is costume.
        Every {n.hardship} hides a seed for the man who will dig.
        A {a.bad} heart finds the woods empty; a {a.good} one finds them crowded.
        Never wait for the world's permission to be {a.good}.
        Nature teaches {n.virtue} without a single word; the pulpit needs a thousand.
        The town steals your {n.calm} a minute at a time; take it back by the hour.
        Better a cabin of your own thoughts than a palace of any {n.people}'s.
        Whoever trusts himself can live in {n.hardship} as if it were a house he built.
        An honest word may cost you the {n.people}'s favour, but it wins you your own.
        Whoever listens to the inner voice will often be called {a.bad}.
        Be {a.good}, be plain, and let the world be as [busy|clever] as it likes.
        There is a child in every {n.people} who still knows the way to the woods.
        Seek {n.calm} as the root seeks water: quietly, and deep.
        One honest hour by the brook outweighs a year of purchased {n.calm}.
        Off the beaten path, {n.virtue} is all the map you have.
        If the town applauds you at once, examine your {n.virtue}.
        The woods have no [mirrors|clocks], and that is half their {n.calm}.
        How much of your {n.passion} did you borrow from your neighbours?
        The meadow does not argue; it grows. Let your {n.virtue} do the same.
        Slow down: the hills were not made in a hurry, and neither is {n.virtue}.
        Let your {n.virtue} be homemade, like your bread.
        A day with no {n.calm} in it is a day sold too cheaply.
        Plant {n.virtue} in spring, and do not dig it up every morning to see whether it grows.
        A true friend praises your {n.virtue} in public and tests it in private.
        Two {n.people.pl} who can walk ten miles without a word have each found a friend.
        In friendship, {n.goods} buys no better seat at the table.
        The friend who excuses your {n.vice} is only an enemy with better manners.
        We choose our friends for their {n.virtue} and keep them for their faults.
        A single {a.good} friend is worth a whole town of admirers.
        Between two {a.good} neighbours, friendship needs no more than a path worn in the grass.
        Listen to every {1:n.people} as to a book, and to every book as to a {1} you need not obey.
        The crowd will forgive you any {n.vice} sooner than an original thought.
        {n.virtue} has worn the same coat for a thousand years; fashion changes its coat every spring.
        Society takes each {n.people.poss} face and hands him back a uniform.
        Much of what {n.people.pl} call common sense is only common fear.
        The {a.good} man is seldom in fashion and never out of date.
        No number of {n.people.pl} believing a thing makes it one hair truer.
        Opinions may fall like leaves in autumn; {n.virtue} should stand like the trunk.
        The world only lends {n.goods}; the woods give {n.calm} outright.
        Look long into a forest pool and you will see your {n.vice} before you see a fish.
        Nothing in the woods cares about your {n.goods}; that is why a man can breathe there.
        Whoever goes to the woods to feed his {n.passion} will find only mosquitoes.
        There is no {n.vice} in the woods that a man did not bring there himself.
        The woods do not make a man good; they merely stop making him {a.bad}.
        Among the pines, a {n.people} may be nobody in particular, and glad of it.
        The woodchuck does not envy the hawk, nor does the hawk pity the woodchuck; each keeps its own {n.calm}.
        The river took ten thousand years to cut its valley; your {n.passion} can wait until morning.
        A winter in a cabin teaches any {n.people} how little he needs.
        No shop in town sells {n.calm}; you must grow it, like beans.
        The {n.people} who owns nothing worth stealing sleeps with the door open.
        Each new need is one more master a {n.people} must serve.
        Before you obey your {n.passion}, ask whether it is your own or the town's.
        What the inner voice tells you is seldom {a.bad} and almost always inconvenient.
        The inner voice gives no reasons, and is wrong less often than the {n.people.pl} who do.
        What is {n.goods} to a man who has heard the thrush at dawn?
        Sleepwalking through {n.goods} is easy; {n.hardship} at least keeps a man awake.
        {n.goods} carries a hidden tax, and {n.hardship} a hidden dividend.
        After you have stood alone against the town, {n.hardship} never looks quite so large again.
        Nobody who needs to be told he is {1:a.good} is {1} yet.
        A holiday never made any man {a.good}; a season of honest work often has.
        Work that feeds only your {n.passion} leaves the rest of you hungry.
        A man who loves his work need ask no {n.people} what it is worth.
        Honest work leaves a man tired and content; idleness leaves him rested and {a.bad}.
        The spade is an honest teacher: it rewards patience and ignores {n.goods}.
        Your work is your signature; let no {n.vice} hold the pen.
        Hoe your own row; your neighbour's {n.vice} is his own weed to pull.
        When {n.hardship} comes, do what the trees do in winter: keep your roots and wait.
        A patched coat is no disgrace; {n.vice} in a new coat is.
        One thought of your own is worth a shelf of other {n.people.possp} conclusions.
        Go to the woodpile, not the parlour, if you would find a {a.good} man.
        No {n.people} ever reached home by another man's road.
        Say plainly what you think; somewhere a {n.people} has been waiting to hear it.
        A {n.people} with nothing to sell can afford to tell the truth.
    """,
    "prophet": """
        Your [joys|sorrows] are the [children|harvest] of your {n.virtue}.
        The deeper {n.hardship} carves into you, the more {n.calm} you can hold.
        You give little when you give your {n.goods}; you give much when you give your {n.virtue}.
        [Work|Labour] is {n.virtue} made visible.
        The {a.good} {n.people} is not the one who has {n.goods}, but the one who can [lose|give] it.
        {n.vice} is only {n.virtue} that has [lost|forgotten] its way home.
        {n.virtue} is the only [treasure|gift] that [grows|widens] when it is given away.
        Your {n.calm} and your {n.hardship} are [twins|sisters]; one sits upon your bed while the other waits.
        The {n.vice} you [hide|bury] [grows|spreads] like a weed.
        Give to the {n.people} as the rain gives to the field, without asking which seed deserves it.
        Love asks nothing of the {n.people} but that he open the door.
        Hand your children your {n.virtue}, but not your road; they walk toward a morning you will not see.
        Sorrow and {n.calm} are drawn from the same well; only the bucket is different.
        When {n.hardship} knocks, open the door; it has come to make room in the house.
        Every {n.people} who gives and remembers has only lent.
        Those who give from their {n.hardship} give the most, for they give what they cannot spare.
        Your {n.hardship} is a door you did not choose, and behind it is a room you needed.
        Sing to your {n.hardship} as a mother sings to a child that will not sleep.
        {n.calm} comes in by a window you forgot to close.
        The {a.good} fear they may be {1:a.bad}; the truly {1} never lose a minute's sleep over it.
        A {n.people} who can laugh at himself will never run out of material.
        Anyone can be extraordinary for an evening; it takes {n.virtue} to be ordinary for a lifetime.
        Only the {a.good} can afford to be laughed at.
        A {n.people} is never so lost as when he is certain of the way.
        There are those who speak to drown their {n.passion}; listen to what they do not say.
        Between true friends, even {n.hardship} is broken and shared like bread.
        Clocks can count the hours, but not the {n.calm} in them.
        What is dying but the river reaching the sea? The {n.people} weeps; the water does not.
        The {a.good} are not strangers to the {a.bad}; they have only fallen less often on the same road.
        Pray not for {n.goods}, but for eyes to see the {n.calm} you already have.
        You are larger than your {n.hardship}, as the sea is larger than the storm on its back.
        No teacher can hand you his {n.virtue}; he can only show you where yours is sleeping.
        Whoever loves will be wounded; the {n.people} who will not love is wounded already.
        {n.calm} is sweetest in a house that has known {n.hardship}.
        Spare the {n.people} the shame of asking; give before the words are out.
        Bread kneaded with {n.passion} tastes of it, though no one can say why.
        The {n.people} who will not kneel to anything will soon kneel to everything.
        Whoever loves one street knows more of the world than the {n.people} who has seen a hundred cities.
        Nothing is dull to a {n.people} who still looks; every sunrise is an encore.
        Love that grips too tightly becomes a cage, and the {n.people} inside it forgets how to sing.
        Your {n.virtue} is not a coin for applause; it is a seed that grows in the dark.
        A child laughing at nothing knows more of joy than all the {n.people.pl}.
        Freedom is not the open door but the {n.people} who no longer fears the locked one.
        Tears shed in {n.hardship} are not wasted; they water a garden you will walk in later.
        Beauty is not in the thing but in the {n.people} who stops to look at it.
        The {n.people} does not cherish his street because it is beautiful; it is beautiful because he cherishes it.
        Work done in {n.vice} builds a house that no one wants to live in.
        Your chains are woven of your own {n.passion}; unpick them thread by thread.
        Do not ask the {n.people} where he comes from; ask what he carries, and help him carry it.
        Welcome the {n.people} at your door as you welcome the morning, without asking what he has brought.
        When {n.calm} visits, do not ask how long it will stay; set another place at the table.
        Let {n.goods} fade like evening; {n.virtue} is the morning that comes after.
        To be truly {a.good}, one must be a little ridiculous.
        The door of a {a.good} man's cottage opens on a wider world than a palace gate.
        No {n.people} is so full of {1:n.vice} as the one who boasts of having none.
        Whoever sings at his work lightens the stone for the next {n.people} who lifts it.
        Love is a door left open on a winter night for every {n.people} who is cold.
        Remember that the {n.people} who hurt you was once a child who was hurt.
        Your {n.passion} is a river; do not dam it, but give it a road to the sea.
        Receive a {n.people.poss} gift as a lamp receives oil: without shame, and with light.
        Sweep a floor in {n.calm}, and you have prayed with your sleeves rolled up.
        Whatever of your {n.calm} you give a child, he will carry to people you will never meet.
        Pray that your children will be {a.good} in ways you never learned.
        Do not demand that the one you love be {a.good}; love him until he is.
        Every {n.people} at the well is a friend to whom you have not yet given water.
        A friend is measured not by the hours he gives you, but by the {n.calm} you carry home.
        Who walks more gently among others than the one who has known {n.hardship}?
        {n.hardship} ploughs the heart, but what grows in the furrow is yours to choose.
        A house is large enough when there is room at the table for one more {n.people}.
        The mirror shows your face; only the {n.people} you have wronged can show you your heart.
        There is a silence between two {n.people.pl} that says more than a night of talk.
        It is the {a.good} who are most astonished to be called so.
        Loving mankind is easy; loving the {n.people} next door is where love learns its trade.
        The surest way to lose {n.calm} is to make a career of finding it.
        Every morning the light forgives the earth its night; forgive the {n.people} as freely.
        [Kindness|Patience|Tenderness] shown to a {n.people} is wine laid down: it grows sweeter with the years.
        No night of {n.hardship} has yet kept the morning from coming.
        There is no {n.people} so poor that he has nothing to give, nor so rich that he needs nothing.
        Be patient with the {n.people} who is still learning; you too were once a seed in the dark.
        The potter who works in {n.calm} is shaped by his work as gently as the clay.
        A child forgives the {n.people} by nightfall; no one has yet taught him to keep accounts.
        In every {n.people} sleeps a song he has forgotten; love is the one who hums the first bar.
        Weep with a {n.people} once, and he can never again be a stranger.
        No one can humiliate a humble {n.people}; he took the lowest seat before you arrived.
        Love the {n.people} on his worst day, and you have loved him on all the others.
        Children do not learn {n.calm} from our sermons but from our evenings.
        Wear your {n.virtue} like an old coat, so worn that you forget you have it on.
        On a lonely night no one warms his hands at {n.goods}; he goes looking for a friend's fire.
        Be {a.good} in the small things of the day, and the great days will find you ready.
        One day your {n.hardship} will be the lantern by which another finds his way.
        Let your {n.virtue} be the bread of your house, not the silver you bring out for guests.
        A poor man who gives thanks for a crust is richer than the man who takes {n.goods} for granted.
        You will be free on the day you can hear of another's {n.goods} and feel nothing but gladness.
        Every heart keeps a little {n.vice}; be gentle with it in others and stern with it in yourself.
        Listen to your {n.passion} as to a stranger at the gate: courteously, but without handing over the keys.
        Carry a little {n.calm} into every room, as you would carry a candle into the dark.
        Love sees your {n.vice} clearly and loves you anyway; that is how you know it is love.
        The hand that has held {n.goods} and let it go is the gentlest hand in the world.
        The more often you give thanks for {n.calm}, the more of it you find in an ordinary day.
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
_DUMMY = {"n": "river", "a": "wise", "v": "love"}  # what an earlier blank looks like, read back


def parse(text: str) -> list:
    """Frame text (alternatives already chosen) -> parts: separator, word or Slot, ..."""
    slots: list[Slot] = []
    by_ref: dict[str, Slot] = {}
    out, pos = [], 0
    for m in _SLOT.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        before = "".join(x if isinstance(x, str) else "x" for x in out).rstrip()
        cap = not before or before.endswith((".", "?", "!"))
        if m.group(5):  # the same word again, capitalised where this place needs it
            slot = replace(by_ref[m.group(5)], cap=cap)
        else:
            ref, kind, cls, form = m.group(1), m.group(2), m.group(3), m.group(4)
            form = form or {"n": "sg", "a": "adj"}[kind]
            lw = [_DUMMY[x.kind] if isinstance(x, Slot) else x for x in _words_of(out)]
            need = "any"  # a headword, a plural, ...; else what its determiner wants
            if kind == "n" and form in ("sg", "poss") and before:
                # after a comma or a semicolon the blank stands bare: no determiner reaches it
                need = "mass" if before[-1] in ",;:.!?\u2014" else _frame_need(lw)
            slot = Slot(len(slots), kind, cls, form, need, cap)
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
        split = WORD_RE.split(piece)
        if parts and not isinstance(parts[-1], str):
            parts.append(split[0])
        else:
            parts = [*parts[:-1], (parts[-1] if parts else "") + split[0]] if parts else [split[0]]
        parts.extend(split[1:])
    return parts


def _frame_need(lw: list) -> str:
    """need_after's rule, but a frame's own words between the determiner and the slot
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
    return need_after(lw)


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
            out.extend(w.lower() for w in WORD_RE.split(piece)[1::2])
    return out
