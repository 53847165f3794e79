"""Ordinary English words and generic nouns: a term that is one of these is a plain word when
prose writes it in lower case ("the name of the cluster", "a .png image", "mount the volume").

Why a hand-kept list shipped in the package rather than a word-frequency package such as
`wordfreq`: that one is a runtime dependency of several megabytes (data for dozens of languages
plus `regex`, `ftfy`, `langcodes`, `msgpack`) for one question asked about a few hundred glossary
terms, its data is CC BY-SA (a derived list would carry that licence into an Apache-2.0 package),
and a frequency cut-off both misses generic technical nouns ("replica", "snapshot", "namespace",
"sidecar") and includes product names that are also dictionary words ("harvester", "longhorn",
"rancher"), which must stay out so that their capitals keep counting. The list below is ordinary
English vocabulary plus the generic nouns and verbs of infrastructure docs; it deliberately has no
product names, acronyms or CamelCase API kinds. Add a word when a glossary's term is an ordinary
word that this list misses.
"""

from __future__ import annotations

COMMON_WORDS: frozenset[str] = frozenset("""
    a about above accept access account across act action active activity actual add addon
    address admin administrator advance advanced affinity after again against age agent ago
    agree agreement ahead aim air alert algorithm all allocation allow almost alone along
    already also alter alternative although always amount an analysis anchor and angle animal
    annotation another answer any anyone anything anyway apart app appear applet appliance
    application apply approach approval archive are area argument arm around arrange array
    arrival art article as ask assign assignment assume at attach attachment attempt attention
    attribute audit authenticate authentication author authorization authorize auto automatic
    availability available average avoid away back backend background backup bad balance
    balancer ban band bandwidth bank bar bare base basic basis batch be bear beat because
    become bed been before begin behavior behaviour behind being believe bell below benchmark
    benefit best better between beyond big bill binary bind binding bit black blank blob block
    blog blue board boat body bond book boot bootstrap border both bottom bound boundary box
    branch brand break bridge brief bring broad broker browser bucket buffer bug build builder
    bundle burst bus business busy but button buy by byte cable cache calendar call can cancel
    capability capacity capture car card care carry case catalog catalogue category cause cell
    center central centre certain certificate chain chance change channel chapter character
    charge chart cheap check checkpoint checksum child choice choose chunk circle claim class
    clean cleanup clear clearance click client clock clone close cloud club cluster code cold
    collect collection collector collision color colour column combine come command comment
    commit common communication community company compare comparison compatible complete
    component compress compression compute computer concept concurrency condition config
    configuration confirm conflict connect connection connector consensus consistency console
    constant constraint consumer contact contain container content context continue contract
    control controller convert cookie copy core corner correct cost could count counter
    country couple course cover crash create credential criteria critical cross cup current
    cursor custom customer cut cycle daemon daily damage dark dashboard data database date day
    dead deal debug decide decision declare decommission decrease default define definition
    degree delay delete deliver delivery demand dependency deploy deployment depth describe
    description descriptor design desk desktop destination detach detail detect detection
    developer development device diagram dialog dialogue did diff difference different digest
    direct direction directory disable disaster disconnect discover discovery disk dispatch
    display distance distribution divide do document does domain done door double down
    download downtime draft drain draw drive driver drop dry due dump duplicate during duty
    dynamic each early earth east easy edge edit editor effect effort egress either element
    else email empty enable encrypt encryption end endpoint energy enforcement engine enough
    ensure enter entire entity entry environment equal error escape estimate evaluate even
    event ever every evict eviction evidence exact example exception exchange execute exist
    exit expand expansion expect expiration expiry explain export expose expression extend
    extension extent external extra face fact factor fail failover failure fair fall false
    family far fast fault feature federation feed feedback feel fencing field figure file
    filesystem fill filter final find fine finish fire firewall firmware first fit fix flag
    flat flow focus folder follow font for force forest fork form format forward frame
    framework free frequency fresh friend from front frontend full function future gain game
    gap garden gate gateway general generate get give global go goal good graph great green
    ground group grow guarantee guard guest guide had half hand handle handler handshake
    happen hard hardware has hash have having he head header health heap hear heart heartbeat
    heat heavy height hello help her here hidden high his history hit hold hole home hook host
    hot hour house how however huge human hypervisor i icon idea identifier identity idle if
    ignore image impact import improve in inbound incident include income increase index
    indicator individual industry info information ingress initial input insert inside install
    instance instead instruction integer integrity interface internal interval into inventory
    is isolation issue it item its job join journal jump just keep kernel key keyring kind
    know knowledge label lake land language large last late latency later launch layer layout
    lead leader leaf learn lease least leave left legacy length less let letter level library
    licence license life lifecycle lifetime light like limit limiter line link list listen
    listener little live load local location lock log logic login long look loop loopback low
    machine main maintenance major make manage management manager manifest manual many map
    mapping mark market master match material matter maximum may me mean measure media medium
    member memory menu merge mesh message meta metadata metal method metric middle might
    migration mind minimum minor minute mirror miss missing mode model modify module moment
    money monitor monitoring month more most mount mouse move much multipath multiple must my
    name namespace native nature near need nest net network new news next night no node noise
    none nor normal north not notation note notice notification number object of offer office
    offline offset often old on once one online only open operation operator option or
    orchestration orchestrator order organization origin original orphan other our out outage
    outbound output outside over overlay owner ownership package page pair pane panel paper
    parameter parent part partition party pass password patch path pattern pause pay payload
    peak peer people per percent performance period permission person phase phone pick picture
    piece pin pipe pipeline place plain plan plane platform play plugin pod point pointer
    policy pool poor pop port portal position post power practice preemption prefix prepare
    present press pressure preview previous price primary principal print priority private
    probe problem process processor produce product production profile program progress
    project promote prompt proof property protocol provide provider provision provisioner
    proxy public publish pull purpose push put quality query question queue quick quiet quorum
    quota race rack rail random range rate raw reach read reader readiness ready real reason
    rebalance rebuild receive recent reconcile record recover recovery red reduce redundancy
    reference region register registry regular release reload remote remove rename render
    repair replace replay replica replication reply report repository request requester
    require requirement rescue reserve reset resilience resize resolve resource response rest
    restart restore restriction result resume retain retention retry return review revision
    revoke right ring risk role roll rollback rollout root rotate round route router row rule
    run runner runtime safe sample sandbox save scale scan schedule scheduler scheduling
    schema scheme scope score screen script search second secondary secret section secure
    security seed select selector self sell send sense sensor sequence serial series server
    service session set setting setup shall shape shard sharding share she shell shift short
    should show side sidecar sign signal signature simple single site size sizing skip slot
    small snapshot so socket soft software solution some sort source space spare spec special
    speed split spool spot stable stack stage staging standard standby start state statement
    static station status step stop storage store stream street string strong structure style
    subject submit subnet subresource subscription success such suffix suite summary
    supervisor support surface suspend swap switch symbol sync system table tag tail taint
    take talk target task team teardown telemetry template tenancy tenant term terminal test
    text than that the their them theme then there these they this those thread threshold
    throttle through throughput ticket tier time timeout timer title to today token toleration
    too tool top topic topology total touch trace track traffic transaction transfer
    transition transport tree trigger true trunk trust try tunnel turn type under unit update
    upgrade upload upper uptime us usage use user utility valid validate validation value
    variable vault vendor verification verify version very view virtual virtualization visible
    volume vote wait walk wall warning was watch watchdog water way we web webhook week weight
    well were west what when where which white who whole whom whose wide width will window
    wipe wire with within without wizard word work worker workflow workload workspace world
    would write writer year yes yield you your zero zone zoning
""".split())
"""1313 lower-case base forms; `is_common_word` also accepts their plurals and possessives."""

_POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")


def is_common_word(word: str) -> bool:
    """True for an ordinary English word or generic noun, in any case, singular or plural.

    Only one word: a multi-word term ("backup target") is a compound the glossary coined, even
    when each of its words is ordinary.
    """
    key = word.strip().lower()
    if not key or " " in key:
        return False
    if key in COMMON_WORDS:
        return True
    for mark in _POSSESSIVES:
        if key.endswith(mark):
            key = key[: -len(mark)]
            if key in COMMON_WORDS:
                return True
            break
    if key.endswith("ies") and key[:-3] + "y" in COMMON_WORDS:
        return True
    if key.endswith("es") and key[:-2] in COMMON_WORDS:
        return True
    return key.endswith("s") and key[:-1] in COMMON_WORDS
