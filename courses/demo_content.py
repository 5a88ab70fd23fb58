"""What ``manage.py seed_demo`` puts in a fresh database: an organisation tree, one person per
role, twenty learners with names in every script the LMS supports, courses and enrolments.
The courses' quizzes are in ``quizzes/demo_content.py``.

Plain data only; ``demo/management/commands/seed_demo.py`` decides how it is written. Every
row has a natural key here (unit code, e-mail, category slug, course slug, and the position of a
module or lesson in its list) so that the command can find what an earlier run created.
"""

import inspect
from dataclasses import dataclass
from decimal import Decimal

from accounts.roles import Role

DEMO_EMAIL_DOMAIN = "demo.lms.local"


def demo_email(local_part: str) -> str:
    """The demo address for ``local_part``; the domain cannot receive mail."""
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    parent_code: str | None = None


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    language: str
    unit_code: str
    employee_number: str
    roles: tuple[Role, ...] = (Role.LEARNER,)


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str


@dataclass(frozen=True)
class DemoLesson:
    title: str
    body: str
    minutes: int = 10
    required: bool = True
    video_url: str = ""

    def __post_init__(self):
        """Drop the source indentation so the Markdown is read as written."""
        object.__setattr__(self, "body", inspect.cleandoc(self.body))


@dataclass(frozen=True)
class DemoModule:
    title: str
    lessons: tuple[DemoLesson, ...]


@dataclass(frozen=True)
class DemoCourse:
    slug: str
    title: str
    language: str
    category_slug: str
    summary: str
    description: str
    estimated_hours: Decimal
    modules: tuple[DemoModule, ...]
    self_enrollment: bool = True
    published: bool = True

    def __post_init__(self):
        """Drop the source indentation so the Markdown is read as written."""
        object.__setattr__(self, "description", inspect.cleandoc(self.description))


@dataclass(frozen=True)
class DemoEnrolment:
    email: str
    course_slug: str
    # Assigned enrolments come from the HR officer, with a due date this many days after the
    # first run (negative: already overdue, which gives reports and reminders something to show).
    assigned: bool = False
    due_in_days: int | None = None
    # Required lessons finished, in course order; ``complete`` finishes all of them.
    lessons_done: int = 0
    # Required quizzes passed, module quizzes in course order and then the final exam;
    # ``complete`` passes all of them too. The quizzes are in ``quizzes/demo_content.py``.
    quizzes_passed: int = 0
    complete: bool = False


# --- Organisation ------------------------------------------------------------------------------

MINISTRY = "mduls"
DIGITAL_SECTOR = "mduls-digital"
PARTNER_AGENCY = "ite"

# Parents are listed before their children.
ORG_UNITS = (
    DemoUnit(MINISTRY, "Ministry of Public Administration and Local Self-Government"),
    DemoUnit(DIGITAL_SECTOR, "Digital Government Sector", MINISTRY),
    DemoUnit("mduls-digital-eservices", "Department for E-Government Services", DIGITAL_SECTOR),
    DemoUnit("mduls-digital-infosec", "Department for Information Security", DIGITAL_SECTOR),
    DemoUnit(
        "mduls-digital-registers", "Department for Registers and Data Exchange", DIGITAL_SECTOR
    ),
    DemoUnit("mduls-hr", "Human Resources Sector", MINISTRY),
    DemoUnit("mduls-hr-training", "Department for Professional Development", "mduls-hr"),
    DemoUnit("mduls-hr-records", "Department for Personnel Records", "mduls-hr"),
    DemoUnit("mduls-local", "Local Self-Government Sector", MINISTRY),
    DemoUnit("mduls-local-support", "Department for Support to Municipalities", "mduls-local"),
    DemoUnit(
        "mduls-local-cooperation", "Department for Inter-Municipal Cooperation", "mduls-local"
    ),
    DemoUnit(PARTNER_AGENCY, "Office for IT and eGovernment"),
    DemoUnit("ite-datacentre", "State Data Centre Operations", PARTNER_AGENCY),
)

# --- People ------------------------------------------------------------------------------------

# The four sign-in accounts prefer English so that a first look at the demo reads in English;
# the twenty learners below prefer the language of the script their name is written in.
LEARNER = DemoPerson(
    demo_email("learner"), "Jelena Nikolić", "en", "mduls-digital-eservices", "MDULS-0004"
)
TRAINER = DemoPerson(
    demo_email("trainer"),
    "Marko Stanković",
    "en",
    "mduls-hr-training",
    "MDULS-0003",
    (Role.TRAINER,),
)
# On a sector, so that the HR scope holds three departments; the Human Resources and Local
# Self-Government sectors are its siblings and stay out of scope, which the demo can show.
HR_OFFICER = DemoPerson(
    demo_email("hr"), "Vesna Radović", "en", DIGITAL_SECTOR, "MDULS-0002", (Role.HR_OFFICER,)
)
ADMINISTRATOR = DemoPerson(
    demo_email("admin"), "Nenad Ilić", "en", MINISTRY, "MDULS-0001", (Role.ADMINISTRATOR,)
)
ROLE_ACCOUNTS = (LEARNER, TRAINER, HR_OFFICER, ADMINISTRATOR)

# Employee numbers are unique per organisation: the partner agency keeps its own series.
LEARNERS = (
    DemoPerson(
        demo_email("djordje.ljubic"), "Ђорђе Љубић", "sr", "mduls-digital-eservices", "MDULS-0101"
    ),
    DemoPerson(
        demo_email("milica.jovanovic"),
        "Милица Јовановић",
        "sr",
        "mduls-digital-infosec",
        "MDULS-0102",
    ),
    DemoPerson(
        demo_email("ljiljana.djukic"), "Љиљана Ђукић", "sr", "mduls-digital-registers", "MDULS-0103"
    ),
    DemoPerson(
        demo_email("nebojsa.zivkovic"), "Небојша Живковић", "sr", "mduls-hr-records", "MDULS-0104"
    ),
    DemoPerson(
        demo_email("vladimir.ciric"), "Владимир Ћирић", "sr", "mduls-local-support", "MDULS-0105"
    ),
    DemoPerson(
        demo_email("tijana.sljivic"), "Тијана Шљивић", "sr", "mduls-local-cooperation", "MDULS-0106"
    ),
    DemoPerson(
        demo_email("djordje.petrovic"),
        "Đorđe Petrović",
        "sr-latn",
        "mduls-digital-eservices",
        "MDULS-0107",
    ),
    DemoPerson(
        demo_email("snezana.scekic"),
        "Snežana Šćekić",
        "sr-latn",
        "mduls-digital-infosec",
        "MDULS-0108",
    ),
    DemoPerson(
        demo_email("zarko.colic"), "Žarko Čolić", "sr-latn", "mduls-digital-registers", "MDULS-0109"
    ),
    DemoPerson(
        demo_email("milena.cosic"), "Milena Ćosić", "sr-latn", "mduls-hr-training", "MDULS-0110"
    ),
    DemoPerson(
        demo_email("natasa.vuckovic"),
        "Nataša Vučković",
        "sr-latn",
        "mduls-local-support",
        "MDULS-0111",
    ),
    DemoPerson(demo_email("bojan.djokic"), "Bojan Đokić", "sr-latn", "ite-datacentre", "ITE-0001"),
    DemoPerson(demo_email("hyunmok.oh"), "오현목", "ko", "ite-datacentre", "ITE-0002"),
    DemoPerson(demo_email("jieun.kim"), "김지은", "ko", "mduls-digital-eservices", "MDULS-0112"),
    DemoPerson(demo_email("seojun.park"), "박서준", "ko", PARTNER_AGENCY, "ITE-0003"),
    DemoPerson(demo_email("minji.lee"), "이민지", "ko", "mduls-digital-registers", "MDULS-0113"),
    DemoPerson(
        demo_email("emily.carter"), "Emily Carter", "en", "mduls-digital-infosec", "MDULS-0114"
    ),
    DemoPerson(
        demo_email("james.oneill"), "James O'Neill", "en", "mduls-hr-training", "MDULS-0115"
    ),
    DemoPerson(
        demo_email("sarah.mitchell"),
        "Sarah Mitchell",
        "en",
        "mduls-local-cooperation",
        "MDULS-0116",
    ),
    DemoPerson(demo_email("daniel.brooks"), "Daniel Brooks", "en", "ite-datacentre", "ITE-0004"),
)

PEOPLE = (*ROLE_ACCOUNTS, *LEARNERS)

# --- Courses -----------------------------------------------------------------------------------

CATEGORIES = (
    DemoCategory("e-government", "E-government"),
    DemoCategory("information-security", "Information security"),
    DemoCategory("digital-records", "Digital records"),
    DemoCategory("data-protection", "Data protection"),
)

# A public Vimeo sample video; replace it with the training centre's own recording.
INTRODUCTION_VIDEO = "https://vimeo.com/76979871"

E_GOVERNMENT = DemoCourse(
    slug="e-government-services-for-citizens",
    title="E-government services for citizens",
    language="en",
    category_slug="e-government",
    estimated_hours=Decimal("4.0"),
    summary=(
        "How citizens and businesses reach public services online, and what each civil servant "
        "can do to make identification, applications, data exchange and delivery work without "
        "a trip to the counter."
    ),
    description="""
        Citizens judge the administration by the services they use: registering a child's
        birth, renewing an identity card, asking for an extract from a register. This course
        follows such a service from the first search on the portal to the decision delivered
        to the citizen's electronic mailbox, and shows what each civil servant along the way
        can do to make it simpler, faster and safer.

        ## Who this course is for

        Civil servants who design, run or answer for services to citizens and businesses, in
        ministries, agencies and local self-government units. No technical background is
        needed.

        ## What you will be able to do

        - explain the difference between a digitised form and a digital service;
        - apply the once-only principle by obtaining data from official records ex officio;
        - choose the level of identification and signature a procedure really needs;
        - measure a service and plan improvements from the figures.
    """,
    modules=(
        DemoModule(
            title="Foundations of digital public services",
            lessons=(
                DemoLesson(
                    title="What makes a service digital",
                    minutes=15,
                    video_url=INTRODUCTION_VIDEO,
                    body="""
                    A scanned form published as a PDF is not yet a digital service. The citizen
                    still prints it, signs it by hand and brings it to the counter, and an
                    official still retypes the data into a register. A service becomes digital
                    when the whole path (finding it, applying, paying the fee, following the
                    case and receiving the decision) can be completed online, and when data
                    travels between systems instead of between people.

                    ## Levels of maturity

                    Online services are often described by how much of the journey they cover:

                    | Level | What the citizen can do online | Example |
                    | --- | --- | --- |
                    | 1. Information | read about the service | documents to bring |
                    | 2. One-way | download a form | printable application |
                    | 3. Two-way | submit a form electronically | web form |
                    | 4. Transaction | complete the case, fee and decision included | e-extract |
                    | 5. Proactive | receive the service without applying | child benefit |

                    Most administrations run services at several levels at once. The aim is not
                    to reach level 5 everywhere, but to remove the steps that exist only because
                    systems do not talk to each other.

                    ## Before you go on

                    The short video above introduces the course. While watching, think of one
                    service from your own work: at which level is it today, and what stops it
                    from moving one level up?
                    """,
                ),
                DemoLesson(
                    title="The once-only principle",
                    minutes=15,
                    body="""
                    A citizen should give the administration a piece of information only once.
                    If a birth, an address or a diploma is already recorded in an official
                    register, the authority handling a case obtains it from that register
                    instead of asking the applicant for a certificate.

                    In Serbia this duty is set out in the Law on General Administrative
                    Procedure: an authority obtains ex officio the data held in official
                    records, unless the party states that it will provide them itself. The
                    electronic exchange of data between registers (eZUP) turns the rule into
                    everyday practice.

                    ## What it means at your desk

                    1. Before listing the documents an applicant must bring, check which of
                       them another authority already holds.
                    2. Request the data through the electronic exchange and keep the record of
                       the request in the case file.
                    3. Ask the applicant only for what no register holds, such as a statement
                       of intent or a document issued abroad.

                    > Each certificate a citizen no longer carries from one office to another
                    > saves a trip, a fee and a working day, and removes a paper that could be
                    > forged.

                    ## Common objections

                    "The other authority answers too slowly" and "I need the stamped original"
                    are the objections heard most often. The first is a reason to agree on
                    response times between authorities, not to hand the burden back to the
                    citizen. The second fades once colleagues know that data received through
                    the exchange carries the same weight as a certificate on paper.
                    """,
                ),
                DemoLesson(
                    title="Accessible services in plain language",
                    minutes=12,
                    body="""
                    A service that some citizens cannot use is not finished. About one person
                    in six lives with a disability, and many more reach the administration's
                    websites on an old phone, over a slow connection or in a second language.

                    ## Accessibility

                    Public sector websites should meet the Web Content Accessibility Guidelines
                    (WCAG) at level AA. In practice this means, among other things:

                    - every form field has a visible label, and an error message says what went
                      wrong next to the field it concerns;
                    - every function works with the keyboard alone and with a screen reader;
                    - text has enough contrast and can be enlarged to 200% without loss;
                    - documents are published as tagged, searchable files, not scanned images.

                    ## Plain language

                    Write for the citizen, not for the file. Use short sentences, the active
                    voice and the reader's own words: "Send us proof of your address" is clearer
                    than "Submission of evidence of the place of residence is required". Explain
                    a legal term the first time it appears, and put the deadline and the fee
                    where nobody can miss them.

                    ## Languages and scripts

                    Services in Serbia are offered in Serbian in the Cyrillic script, and in the
                    Latin script and minority languages where these are in official use. Check
                    that a name such as "Đorđe" or "Ђорђе" is accepted by every form and found
                    by search whichever script was used to type it.
                    """,
                ),
            ),
        ),
        DemoModule(
            title="Identity, signatures and trust",
            lessons=(
                DemoLesson(
                    title="Levels of electronic identification",
                    minutes=15,
                    body="""
                    Before acting on a request the administration must know who is asking.
                    Electronic identification schemes are graded by how much confidence they
                    give that a person is who they claim to be. Serbian law follows the same
                    three-level model as the European eIDAS regulation.

                    | Level of assurance | Typical means | Suitable for |
                    | --- | --- | --- |
                    | Low | user name and password | general information |
                    | Substantial | password and a one-time code or app | most applications |
                    | High | qualified certificate (card or cloud) | serious legal effect |

                    ## Choosing the level

                    The level should follow from the risk of the procedure, not from habit.
                    Demanding the highest level everywhere locks out citizens without a smart
                    card reader, while the lowest level is never enough to reveal someone's
                    personal data. For each service ask: what is the worst that could happen if
                    someone applied in this person's name? Record the answer and the chosen
                    level in the service description, so that the choice can be reviewed.

                    ## Representatives

                    Many citizens act through someone else: a parent for a child, a lawyer for
                    a client, an accountant for a company. A good service lets representatives
                    sign in with their own identity and shows on whose behalf they act, instead
                    of leaving people to share passwords.
                    """,
                ),
                DemoLesson(
                    title="Electronic signatures and seals",
                    minutes=15,
                    body="""
                    An electronic signature links a document to the person who signed it; an
                    electronic seal does the same for a legal person such as an authority. Both
                    can be checked by software, so whoever receives the document can see who
                    issued it and that it has not changed since.

                    ## Three kinds of signature

                    - **Simple**: any data attached to a document to sign it, such as a typed
                      name or a scanned signature. Easy to produce, and easy to dispute.
                    - **Advanced**: uniquely linked to the signer, created with means under
                      the signer's sole control, and revealing any later change to the document.
                    - **Qualified**: an advanced signature created with a qualified device and
                      based on a qualified certificate. It has the same legal effect as a
                      handwritten signature.

                    ## Good practice

                    Sign the final version, in a format meant for long-term keeping such as
                    PDF/A, and add a qualified time stamp when the moment of signing matters.
                    When you receive a signed document, validate it with an official validation
                    service rather than trusting the icon in a PDF viewer: the icon shows that a
                    signature is present, not that it is valid.

                    > A printout of an electronically signed document is only a copy. The
                    > original is the file, and it should be kept as a file.
                    """,
                ),
                DemoLesson(
                    title="Following a case from request to decision",
                    minutes=15,
                    body="""
                    Take a request for an extract from the register of births, submitted online
                    by a citizen who now lives abroad. The steps below show where such a case
                    can stall, and who can keep it moving.

                    1. **Submission.** The citizen signs in at the substantial level and fills
                       in a short form; data known from the population register is pre-filled.
                    2. **Payment.** The fee is paid online and the payment reference is attached
                       to the case automatically, so nobody has to check a bank statement.
                    3. **Processing.** The registrar sees the case in an electronic queue,
                       checks the entry and prepares the extract.
                    4. **Signing.** The extract is issued as an electronic document bearing the
                       authority's qualified electronic seal.
                    5. **Delivery.** The document reaches the citizen's electronic mailbox, and
                       the citizen is told so by e-mail or text message.

                    ## Where cases stall

                    Cases mostly wait between steps, not within them: a payment that is not
                    matched, a request sitting in a shared mailbox, a decision waiting for a
                    signer who is on leave. Every step needs a named owner and a deadline, and
                    the queue should show how long each case has been waiting.

                    ## Your turn

                    Draw the same five steps for a service your unit provides. Mark the steps
                    still done on paper, and those where citizens have to call the authority to
                    find out what is happening with their case.
                    """,
                ),
            ),
        ),
        DemoModule(
            title="Running and improving a service",
            lessons=(
                DemoLesson(
                    title="Measuring service quality",
                    minutes=12,
                    body="""
                    What is not measured is hard to improve. A handful of indicators collected
                    every month tells a service owner more than a survey once a year.

                    | Indicator | What it shows | Where it comes from |
                    | --- | --- | --- |
                    | Take-up | share of cases submitted online | case management system |
                    | Completion rate | started applications that get submitted | web analytics |
                    | Time to decision | days from submission to decision | case management system |
                    | Return rate | applications returned as incomplete | case management system |
                    | Satisfaction | how citizens rate the service | one-question survey |

                    ## Reading the figures

                    A low completion rate points to a step that confuses or blocks people, and
                    web analytics show on which page they give up. A high return rate usually
                    means the instructions are unclear, not that citizens are careless. Compare
                    figures over time and between similar services, and publish them: open
                    figures build trust and give teams a reason to improve.

                    ## Listening to users

                    Numbers show where a problem is; people show why. Five short interviews with
                    recent users, or an hour at the counter watching people fill in the form,
                    regularly reveal problems that no indicator would.
                    """,
                ),
                DemoLesson(
                    title="Privacy by design in online services",
                    minutes=15,
                    body="""
                    Every online service processes personal data. The Law on Personal Data
                    Protection, modelled on the European GDPR, asks for protection to be built
                    in from the start rather than added at the end.

                    ## Principles to apply

                    - **Purpose limitation**: collect data for a stated purpose and do not
                      reuse it for another without a legal basis.
                    - **Data minimisation**: ask only for what the procedure needs. If the year
                      of birth is enough, do not ask for the personal identification number.
                    - **Storage limitation**: set a retention period for every kind of record,
                      and delete or anonymise the data when it ends.
                    - **Security**: encrypt connections, limit who can see what, and log who
                      viewed each record.

                    ## Data protection impact assessment

                    When a new service is likely to pose a high risk to people's rights, for
                    instance because it combines several registers or processes health data,
                    the authority assesses the impact before processing begins. The assessment
                    describes the processing, weighs its necessity and lists the measures that
                    reduce the risks. Involve the data protection officer early: changes are
                    cheap on paper and expensive in production.
                    """,
                ),
                DemoLesson(
                    title="Further reading: international benchmarks",
                    minutes=10,
                    required=False,
                    body="""
                    This lesson is optional. It points to the reports international
                    organisations publish on digital government, for those who want to compare
                    services at home with those in other countries.

                    - **UN E-Government Survey**: published every two years by the United
                      Nations Department of Economic and Social Affairs; ranks all member
                      states by the E-Government Development Index.
                    - **OECD Digital Government Index**: assesses how far governments have
                      moved from digitising existing processes to being digital by design.
                    - **eGovernment Benchmark**: the European Commission's yearly comparison of
                      online public services, based on mystery shopping of common life events.
                    - **World Bank GovTech Maturity Index**: looks at core government systems,
                      service delivery, citizen engagement and enablers such as skills and law.

                    When reading a ranking, look beyond the position. The sub-indices, such as
                    online services, telecommunication infrastructure and human capital, show
                    where progress is being made, and the case studies often describe solutions
                    that can be reused.
                    """,
                ),
            ),
        ),
    ),
)

INFORMATION_SECURITY = DemoCourse(
    slug="osnovi-informacione-bezbednosti",
    title="Основи информационе безбедности",
    language="sr",
    category_slug="information-security",
    estimated_hours=Decimal("3.0"),
    # Mandatory training: HR assigns it with a due date, nobody joins it from the catalogue.
    self_enrollment=False,
    summary=(
        "Обавезна обука за запослене у државној управи: како препознати фишинг, чувати "
        "лозинке и податке и на време пријавити безбедносни инцидент."
    ),
    description="""
        Већина безбедносних инцидената у органима управе не почиње нападом на сервер, већ
        једним кликом на лажну поруку или лозинком записаном на папирићу поред монитора. Ова
        обука објашњава основне појмове информационе безбедности, најчешће претње у
        свакодневном раду и шта треба урадити када нешто пође наопако.

        ## Коме је намењена

        Свим запосленима који раде на рачунару, без обзира на радно место. Обуку додељује
        служба за људске ресурсе и треба је завршити до задатог рока.

        ## Шта ћете научити

        - да препознате сумњиве поруке и везе;
        - да изаберете и чувате лозинке и користите вишефакторску аутентификацију;
        - да безбедно радите ван канцеларије;
        - коме и како да пријавите безбедносни инцидент.
    """,
    modules=(
        DemoModule(
            title="Основни појмови",
            lessons=(
                DemoLesson(
                    title="Поверљивост, интегритет и доступност",
                    minutes=12,
                    body="""
                    Информациона безбедност штити три својства података и система. Лако их је
                    запамтити по почетним словима енглеских назива, CIA: *confidentiality*,
                    *integrity* и *availability*.

                    | Својство | Питање | Пример нарушавања |
                    | --- | --- | --- |
                    | Поверљивост | Да ли податке виде само овлашћени? | списак послат погрешно |
                    | Интегритет | Да ли су подаци тачни и потпуни? | измењен износ на решењу |
                    | Доступност | Да ли су доступни кад затребају? | шалтер не ради због вируса |

                    Ова три својства често треба уравнотежити. Систем који је потпуно затворен
                    чува поверљивост, али није доступан онима којима је намењен. Зато се мере
                    заштите бирају према процени ризика: колика је штета ако се податак открије,
                    измени или постане недоступан, и колико је такав догађај вероватан.

                    ## Зашто је то посао свих запослених

                    Служба за информационе технологије може да постави заштитни зид и
                    антивирусни програм, али не може да одлучи коме ћете проследити документ
                    нити да ли ћете отворити прилог у поруци. Већина озбиљних инцидената
                    укључује и људску грешку, па је сваки запослени део система заштите.
                    """,
                ),
                DemoLesson(
                    title="Правни оквир",
                    minutes=12,
                    body="""
                    Закон о информационој безбедности уређује мере заштите од безбедносних
                    ризика у информационо-комуникационим системима и одређује ИКТ системе од
                    посебног значаја, међу којима су и системи органа јавне власти.

                    Оператор ИКТ система од посебног значаја дужан је да:

                    - донесе акт о безбедности ИКТ система и примењује мере које он предвиђа;
                    - редовно проверава да ли се мере примењују у складу са тим актом;
                    - пријави инциденте који значајно угрожавају информациону безбедност;
                    - обезбеди да запослени знају своје обавезе и прођу одговарајућу обуку.

                    Поред овог закона, у раду са подацима примењују се и Закон о заштити
                    података о личности, који штити податке грађана, и Закон о тајности
                    података, који уређује одређивање и заштиту тајних података.

                    > Акт о безбедности вашег органа обавезује и вас. Затражите га од
                    > руководиоца или службе за информационе технологије и прочитајте део који
                    > се односи на ваше радно место.
                    """,
                ),
            ),
        ),
        DemoModule(
            title="Свакодневне претње",
            lessons=(
                DemoLesson(
                    title="Како препознати фишинг",
                    minutes=15,
                    body="""
                    Фишинг је лажна порука која покушава да вас наведе да откријете лозинку,
                    отворите заражени прилог или уплатите новац. Такве поруке су све
                    уверљивије: користе лого вашег органа, име стварног колеге и исправан
                    српски језик.

                    ## Знаци упозорења

                    - порука ствара хитност: „налог ће бити угашен за 24 сата”;
                    - пошиљалац делује познато, али адреса се разликује у једном слову;
                    - тражи се лозинка, код из СМС поруке или подаци о платној картици;
                    - веза води на адресу која не припада вашем органу, што се види када
                      пређете мишем преко ње;
                    - прилог је неочекиван, на пример „фактура” у облику архиве или документа
                      са макроима.

                    > Ако порука тражи журбу и лозинку, застаните. Ниједна служба неће од вас
                    > тражити лозинку путем е-поште.

                    ## Шта да урадите

                    Не одговарајте на поруку и не отварајте везе. Проверите пошиљаоца на други
                    начин, телефоном на број који већ знате, а не на број из поруке. Поруку
                    пријавите служби за информационе технологије. Ако сте већ кликнули или
                    унели лозинку, одмах је промените и пријавите шта се догодило: брза пријава
                    често спречи много већу штету.
                    """,
                ),
                DemoLesson(
                    title="Лозинке и вишефакторска аутентификација",
                    minutes=12,
                    body="""
                    Лозинка је кључ ваших налога, а често и података хиљада грађана. Дуга
                    лозинка јача је од кратке и компликоване: „Плави-трамвај-креће-у-седам”
                    лакше се памти, а много теже погађа од „Lozinka2024!”.

                    ## Добре навике

                    1. Користите различиту лозинку за сваки налог; ако једна процури, остали
                       налози остају безбедни.
                    2. Користите менаџер лозинки који је одобрила служба за информационе
                       технологије.
                    3. Не записујте лозинке на папир, у табеле ни у поруке, и никоме их не
                       саопштавајте, ни колегама ни техничкој подршци.
                    4. Одмах промените лозинку ако сумњате да је неко други зна.

                    ## Вишефакторска аутентификација

                    Уз лозинку, вишефакторска аутентификација тражи и нешто што поседујете, на
                    пример апликацију на телефону која даје једнократне кодове. Нападач који
                    сазна лозинку без другог фактора не може да се пријави. Укључите је свуда
                    где је могуће, а обавезно за налоге са приступом подацима о грађанима. Код
                    из апликације не саопштавајте никоме, ни када зове неко ко се представља
                    као техничка подршка.
                    """,
                ),
                DemoLesson(
                    title="Рад ван канцеларије",
                    minutes=10,
                    body="""
                    Рад од куће и на службеном путу доноси нове ризике: јавне бежичне мреже,
                    уређаје које користи цела породица и документа која се лако забораве у
                    возу.

                    | Ситуација | Шта урадити |
                    | --- | --- |
                    | Јавна бежична мрежа | повезати се преко VPN везе органа |
                    | Кратко удаљавање од рачунара | закључати екран (Windows + L) |
                    | Слање докумената | одобрено складиште, не приватна е-пошта |
                    | USB уређај непознатог порекла | не прикључивати, предати служби за ИТ |
                    | Изгубљен лаптоп или телефон | одмах пријавити, да би се уређај закључао |

                    Службене податке обрађујте само на уређајима које је одобрио ваш орган и
                    чувајте их на местима која се редовно резервно копирају. Приватни налог у
                    облаку није место за решења, спискове запослених ни податке о грађанима,
                    чак ни привремено.

                    Када разговарате телефоном или сте на видео-састанку на јавном месту,
                    пазите ко вас чује и шта се види на екрану иза вас.
                    """,
                ),
            ),
        ),
        DemoModule(
            title="Када нешто пође наопако",
            lessons=(
                DemoLesson(
                    title="Пријава безбедносног инцидента",
                    minutes=15,
                    body="""
                    Безбедносни инцидент је сваки догађај који угрожава поверљивост, интегритет
                    или доступност података: заражен рачунар, изгубљен уређај, порука послата
                    погрешном примаоцу, необична активност на налогу. Што се раније пријави,
                    штета је мања.

                    ## Корак по корак

                    1. **Зауставите ширење.** Ако сумњате да је рачунар заражен, искључите
                       мрежни кабл или бежичну везу, али рачунар не гасите: подаци у меморији
                       могу бити важни за анализу.
                    2. **Пријавите одмах.** Обавестите службу за информационе технологије и
                       непосредног руководиоца, на начин који прописује акт о безбедности.
                    3. **Опишите шта се догодило.** Шта сте приметили, када, на ком уређају и
                       шта сте до тада урадили.
                    4. **Сачувајте доказе.** Не бришите сумњиве поруке и датотеке док то не
                       одобри служба која води инцидент.

                    > Пријава инцидента није признање кривице. Запослени који одмах пријави
                    > грешку помаже органу да заштити грађане; проблем настаје када се грешка
                    > прећути.

                    Ако инцидент обухвата податке о личности, орган процењује да ли о повреди
                    мора да обавести Повереника за информације од јавног значаја и заштиту
                    података о личности и лица на која се подаци односе. Рокови за то су
                    кратки, па и зато пријава треба да стигне без одлагања.
                    """,
                ),
                DemoLesson(
                    title="Класификација и руковање подацима",
                    minutes=12,
                    body="""
                    Нису сви подаци једнако осетљиви, па се ни не штите на исти начин. Закон о
                    тајности података прописује четири степена тајности:

                    | Степен | Откривање би нанело |
                    | --- | --- |
                    | ДРЖАВНА ТАЈНА | непоправљиву штету интересима Републике Србије |
                    | СТРОГО ПОВЕРЉИВО | тешку штету интересима Републике Србије |
                    | ПОВЕРЉИВО | штету интересима Републике Србије |
                    | ИНТЕРНО | штету раду органа јавне власти |

                    Највећи део свакодневног рада не обухвата тајне податке, али обухвата
                    податке о личности: имена, адресе, јединствене матичне бројеве, податке о
                    здрављу и примањима. Њих штити Закон о заштити података о личности.

                    ## Правила руковања

                    - податке делите само са онима којима су потребни за посао, и само онолико
                      колико је потребно;
                    - пре слања проверите примаоца, посебно када програм за е-пошту сам
                      допуњава адресу;
                    - осетљиве прилоге шаљите шифроване, а лозинку за отварање јавите другим
                      путем;
                    - папирна документа не остављајте на штампачу ни на столу, а када више
                      нису потребна, уништите их на прописан начин.
                    """,
                ),
            ),
        ),
    ),
)

DIGITAL_DOCUMENTS = DemoCourse(
    slug="upravljanje-digitalnim-dokumentima",
    title="Upravljanje digitalnim dokumentima",
    language="sr-latn",
    category_slug="digital-records",
    estimated_hours=Decimal("3.5"),
    summary=(
        "Kako elektronski dokument u organu uprave nastaje, potpisuje se, evidentira i čuva: "
        "formati, metapodaci, digitalizacija papirne arhive i rokovi čuvanja."
    ),
    description="""
        Sve više akata nastaje, potpisuje se i dostavlja isključivo u elektronskom obliku. Da
        bi takav dokument i za deset ili pedeset godina bio čitljiv, verodostojan i lako
        pronađen, o tome treba misliti od trenutka kada nastane. Kurs prati ceo životni ciklus
        dokumenta: od izrade i evidentiranja, preko čuvanja i deljenja, do arhiviranja ili
        izlučivanja.

        ## Kome je namenjen

        Zaposlenima u pisarnicama i arhivama, i svima koji izrađuju, primaju ili čuvaju akte.

        ## Šta ćete naučiti

        - kada elektronski dokument ima istu dokaznu snagu kao papirni;
        - koje formate koristiti za dugoročno čuvanje;
        - kako digitalizovati papirnu građu tako da kopija može da zameni original;
        - kako evidentirati, klasifikovati i deliti dokumente a da ne izgubite kontrolu nad njima.
    """,
    modules=(
        DemoModule(
            title="Elektronski dokument u upravi",
            lessons=(
                DemoLesson(
                    title="Šta je elektronski dokument",
                    minutes=12,
                    body="""
                    Elektronski dokument je skup podataka u elektronskom obliku koji služi kao
                    dokaz o nekoj činjenici: ugovor, rešenje, dopis, zapisnik. Zakon o
                    elektronskom dokumentu, elektronskoj identifikaciji i uslugama od poverenja
                    u elektronskom poslovanju propisuje da se elektronskom dokumentu ne može
                    osporiti punovažnost ili dokazna snaga samo zato što je u elektronskom
                    obliku.

                    ## Od čega zavisi poverenje

                    Da bi se na dokument moglo osloniti, mora se znati:

                    - **ko ga je izdao**, što potvrđuje kvalifikovani elektronski potpis ili
                      pečat;
                    - **kada je nastao**, što potvrđuje kvalifikovani elektronski vremenski žig;
                    - **da nije menjan**, jer potpis postaje nevažeći ako se sadržaj promeni
                      makar za jedan znak.

                    ## Original i kopija

                    Kod elektronskog dokumenta svaki primerak fajla sa ispravnim potpisom jeste
                    original. Odštampani primerak je samo kopija koja ne nosi elektronski
                    potpis. Zato se elektronski potpisan dokument čuva kao fajl, u sistemu za
                    upravljanje dokumentima, a ne kao odštampan list u fascikli.
                    """,
                ),
                DemoLesson(
                    title="Formati za dugoročno čuvanje",
                    minutes=12,
                    body="""
                    Programi se menjaju brže nego što ističu rokovi čuvanja većine akata.
                    Dokument sačuvan u formatu koji za dvadeset godina niko ne može da otvori
                    izgubljen je kao da je izgoreo.

                    | Vrsta sadržaja | Preporučeni format | Izbegavati |
                    | --- | --- | --- |
                    | Tekstualni akti | PDF/A | DOC sa makroima |
                    | Tabele i evidencije | CSV, ODS | formate vezane za jedan program |
                    | Strukturirani podaci | XML ili JSON sa opisom šeme | interne formate baza |
                    | Slike i skenovi | TIFF, PNG, PDF/A | JPEG sa jakom kompresijom |

                    ## Zašto PDF/A

                    PDF/A je standardizovana verzija PDF formata namenjena arhiviranju (ISO
                    19005). U fajl su ugrađeni svi fontovi i ništa ne zavisi od spoljnih
                    izvora, pa dokument izgleda isto na svakom računaru. Skripte, šifrovanje i
                    veze ka spoljnom sadržaju nisu dozvoljeni.

                    ## Praktični saveti

                    Dokument izradite u programu za obradu teksta, sačuvajte ga kao PDF/A, pa
                    ga tek onda potpišite: svaka izmena posle potpisivanja poništava potpis.
                    Radnu verziju u izvornom formatu čuvajte dok je potrebna za izmene, ali
                    jasno označite koja je verzija konačna.
                    """,
                ),
                DemoLesson(
                    title="Digitalizacija papirne arhive",
                    minutes=15,
                    body="""
                    Digitalizacija nije samo skeniranje. Da bi digitalizovani akt mogao da
                    zameni papirni original, postupak mora da bude propisan, dokumentovan i
                    proverljiv.

                    ## Postupak

                    1. **Priprema građe.** Dokumenti se razvrstavaju, uklanjaju se spajalice, a
                       oštećeni listovi se obeležavaju.
                    2. **Skeniranje.** Skenira se u rezoluciji i formatu koje propisuje interni
                       akt, najčešće 300 dpi u formatu PDF/A.
                    3. **Prepoznavanje teksta.** OCR omogućava pretragu teksta, ali ne zamenjuje
                       sliku originala.
                    4. **Kontrola kvaliteta.** Proverava se da li su sve strane skenirane,
                       čitljive i pravilno okrenute.
                    5. **Potvrda istovetnosti.** Ovlašćeno lice potvrđuje da je digitalizovani
                       akt istovetan originalu i overava ga kvalifikovanim elektronskim
                       potpisom ili pečatom.

                    > Pre nego što počnete da skenirate, proverite da li se za tu vrstu građe
                    > original sme uništiti posle digitalizacije. Neke kategorije se u
                    > originalu čuvaju trajno.

                    ## Metapodaci od prvog dana

                    Svakom skeniranom dokumentu odmah dodelite osnovne metapodatke: broj
                    predmeta, datum, vrstu dokumenta i klasifikacionu oznaku. Hiljade skenova
                    bez metapodataka nisu arhiva, već digitalni podrum.
                    """,
                ),
            ),
        ),
        DemoModule(
            title="Kancelarijsko poslovanje i arhiviranje",
            lessons=(
                DemoLesson(
                    title="Evidentiranje, klasifikacija i rokovi čuvanja",
                    minutes=12,
                    body="""
                    Svaki akt koji organ primi ili uputi dobija broj i mesto u evidenciji. U
                    elektronskom kancelarijskom poslovanju evidencija se vodi u informacionom
                    sistemu, a dokument od prijema do arhiviranja putuje kroz sistem, bez
                    fotokopiranja i ručnog prenošenja.

                    ## Klasifikacija

                    Klasifikacioni plan razvrstava predmete po oblastima rada. Ispravna
                    klasifikaciona oznaka omogućava da se predmet kasnije pronađe i određuje
                    koliko dugo se čuva. Kada niste sigurni koju oznaku da upotrebite, pitajte
                    pisarnicu: greška u klasifikaciji lako se napravi, a teško ispravlja.

                    ## Rokovi čuvanja

                    Lista kategorija registraturskog materijala sa rokovima čuvanja određuje za
                    svaku vrstu dokumenta koliko se čuva, na primer:

                    | Kategorija | Rok čuvanja |
                    | --- | --- |
                    | Propisi i opšti akti organa | trajno |
                    | Personalna dokumentacija zaposlenih | trajno |
                    | Finansijska dokumentacija | najmanje deset godina |
                    | Obična prepiska | pet godina |

                    Rokovi u tabeli služe kao ilustracija. Merodavna je lista koju je usvojio
                    vaš organ, uz saglasnost nadležnog arhiva.
                    """,
                ),
                DemoLesson(
                    title="Metapodaci i nazivi fajlova",
                    minutes=10,
                    body="""
                    Metapodaci su podaci o dokumentu: ko ga je izradio, kada, u kom predmetu,
                    kojoj kategoriji pripada i ko sme da ga vidi. Bez njih sistem ne može da
                    pronađe dokument, da primeni rok čuvanja ni da ograniči pristup.

                    ## Najmanji skup metapodataka

                    - naziv i vrsta dokumenta (rešenje, dopis, zapisnik);
                    - broj predmeta i klasifikaciona oznaka;
                    - datum nastanka i datum prijema ili otpreme;
                    - autor i organizaciona jedinica;
                    - stepen poverljivosti i ograničenja pristupa;
                    - rok čuvanja.

                    ## Nazivi fajlova

                    Kada dokument mora da se sačuva van sistema, naziv fajla treba da kaže šta
                    je u njemu. Dogovorite jedan obrazac u jedinici, na primer
                    `2026-03-14_resenje_predmet-123.pdf`: datum zapisan kao godina-mesec-dan
                    omogućava ispravno sortiranje, a naziv bez razmaka i posebnih znakova
                    prolazi kroz svaki sistem. Naziv „konačno_konačno2.docx” ne kaže ništa.
                    """,
                ),
                DemoLesson(
                    title="Deljenje i izlučivanje",
                    minutes=12,
                    body="""
                    Dokument koji se šalje kao prilog e-poruke umnožava se: posle nekoliko dana
                    postoji u desetak sandučića, u više verzija, i niko ne zna koja je važeća.
                    Bolje je podeliti vezu ka dokumentu u sistemu, gde važe prava pristupa i
                    gde se vidi istorija izmena.

                    ## Prava pristupa

                    Pristup se daje prema ulozi, a ne prema osobi, i samo u meri u kojoj je
                    potreban za posao. Kada zaposleni promeni radno mesto ili napusti organ,
                    njegova prava treba ukinuti istog dana.

                    ## Izlučivanje

                    Kada istekne rok čuvanja, dokumenti se ne brišu proizvoljno. Izlučivanje je
                    propisan postupak: sastavlja se popis materijala za izlučivanje, pribavlja
                    se saglasnost nadležnog arhiva, a tek tada se materijal uništava. Za
                    elektronske dokumente to znači trajno brisanje iz sistema i iz rezervnih
                    kopija, uz zapisnik.

                    > Dokument koji je trebalo izlučiti, a nije, i dalje je dokument: može se
                    > zatražiti u sudskom postupku ili zahtevom za pristup informacijama od
                    > javnog značaja.
                    """,
                ),
            ),
        ),
    ),
)

E_GOVERNMENT_KOREA = DemoCourse(
    slug="jeonja-jeongbu-seobiseu-gicho",
    title="전자정부 서비스 기초",
    language="ko",
    category_slug="e-government",
    estimated_hours=Decimal("2.5"),
    summary=(
        "국민이 온라인으로 행정 서비스를 이용하는 과정과, 공무원이 각 단계를 더 쉽고 "
        "안전하게 만드는 방법을 한국 전자정부의 경험을 통해 배웁니다."
    ),
    description="""
        이 과정은 전자정부 서비스의 기본 개념을 소개하고, 한국이 수십 년에
        걸쳐 쌓아 온 경험을 바탕으로 국민 중심 서비스를 설계하는 방법을
        다룹니다. 세르비아와 한국의 전자정부 협력 교육 과정 가운데 하나입니다.

        ## 학습 대상

        민원 서비스를 기획하거나 운영하는 공무원, 전자정부 협력 사업에
        참여하는 직원.

        ## 학습 목표

        - 전자정부의 개념과 발전 단계를 설명할 수 있다.
        - 한 번만 제출하는 원칙과 행정정보 공동이용을 이해한다.
        - 접근성과 쉬운 언어를 고려해 서비스를 설계할 수 있다.
    """,
    modules=(
        DemoModule(
            title="전자정부의 이해",
            lessons=(
                DemoLesson(
                    title="전자정부란 무엇인가",
                    minutes=12,
                    body="""
                    전자정부는 정보통신기술을 활용해 행정 업무를 효율화하고
                    국민에게 더 편리한 서비스를 제공하는 정부를 말합니다. 종이
                    서식을 웹사이트에 올리는 데 그치지 않고, 서비스를 찾고 신청하고
                    결과를 받는 전 과정을 온라인으로 처리할 수 있도록 일하는 방식
                    자체를 바꾸는 것이 핵심입니다.

                    ## 발전 단계

                    | 단계 | 특징 | 예시 |
                    | --- | --- | --- |
                    | 정보 제공 | 기관 정보를 웹에 게시 | 민원 안내 |
                    | 상호 작용 | 서식 내려받기, 문의 | 신청서 다운로드 |
                    | 전자 처리 | 신청부터 통지까지 온라인 | 증명서 발급 |
                    | 통합·선제 | 기관 간 연계, 먼저 안내 | 출산 원스톱 |

                    ## 공무원의 역할

                    전자정부는 정보화 부서만의 일이 아닙니다. 업무 절차를 가장 잘
                    아는 사람은 그 업무를 매일 처리하는 담당 공무원입니다. 불필요한
                    구비서류, 중복된 확인 절차, 이해하기 어려운 안내 문구를 찾아내
                    개선하는 일은 모든 공무원의 몫입니다.
                    """,
                ),
                DemoLesson(
                    title="한국 전자정부의 발전 과정",
                    minutes=15,
                    body="""
                    한국의 전자정부는 한 번에 만들어지지 않았고, 여러 단계를 거쳐
                    발전해 왔습니다.

                    1. **기반 구축 (1980~1990년대).** 국가기간전산망 사업으로
                       주민, 부동산, 자동차 등 핵심 행정 정보를 전산화했습니다.
                    2. **본격 추진 (2000년대).** 전자정부 관련 법률이 제정되고,
                       온라인 민원 서비스와 행정정보 공동이용 체계가 만들어졌습니다.
                    3. **서비스 통합 (2010년대).** 여러 기관의 서비스를 한 창구에서
                       이용하게 되었고, 이는 정부24와 같은 통합 포털로 이어졌습니다.
                    4. **데이터와 플랫폼 (현재).** 공공 데이터를 개방하고, 국민이
                       자신의 정보를 직접 활용하도록 돕고, 새 기술을 도입합니다.

                    > 기술보다 먼저 바뀌어야 하는 것은 업무 절차와 제도입니다. 종이
                    > 절차를 그대로 옮긴 전자 서비스는 국민의 불편도 그대로 옮깁니다.

                    ## 배울 점

                    가장 중요한 교훈은 공통 기반에 대한 투자입니다. 기관마다 따로
                    시스템을 만드는 대신 전자 인증, 전자 결제, 행정정보 공동이용
                    같은 공통 기능을 한 번 만들어 함께 쓰면 비용이 줄고, 국민은
                    어느 기관에서나 같은 방식으로 서비스를 이용할 수 있습니다.
                    """,
                ),
            ),
        ),
        DemoModule(
            title="국민 중심 서비스 설계",
            lessons=(
                DemoLesson(
                    title="한 번만 제출하는 원칙과 행정정보 공동이용",
                    minutes=12,
                    body="""
                    국민이 이미 정부에 낸 정보를 다시 요구해서는 안 됩니다.
                    주민등록표 등본이나 가족관계증명서처럼 행정기관이 이미 보유한
                    정보는 민원인에게 서류를 받는 대신, 담당 공무원이 행정정보
                    공동이용 시스템으로 직접 확인합니다.

                    ## 효과

                    - 민원인은 서류를 떼러 여러 기관을 방문하지 않아도 됩니다.
                    - 기관은 위조 서류의 위험을 줄이고 최신 정보를 확인합니다.
                    - 종이 서류를 보관하고 폐기하는 비용이 줄어듭니다.

                    ## 주의할 점

                    행정정보를 열람하려면 법령에 근거가 있어야 하며, 원칙적으로 정보
                    주체의 동의를 받아야 합니다. 업무에 필요한 범위를 넘어 조회해서는
                    안 되며, 모든 조회 기록은 남고 점검 대상이 됩니다.

                    ## 세르비아의 사례

                    세르비아에서도 일반행정절차법에 따라 행정기관이 공적 기록에 있는
                    정보를 직권으로 확보해야 하며, 전자 데이터 교환 시스템(eZUP)이
                    이를 뒷받침합니다. 두 나라는 다른 길을 거쳐 같은 원칙에
                    도달했습니다.
                    """,
                ),
                DemoLesson(
                    title="접근성과 쉬운 언어",
                    minutes=12,
                    body="""
                    모든 국민이 이용할 수 있어야 진정한 공공 서비스입니다. 고령자,
                    장애인, 디지털 기기에 익숙하지 않은 사람, 외국인도 서비스를
                    이용할 수 있도록 설계해야 합니다.

                    ## 웹 접근성

                    한국의 공공기관 웹사이트는 국제 표준인 WCAG를 바탕으로 한
                    한국형 웹 콘텐츠 접근성 지침(KWCAG)을 따라야 합니다. 주요
                    내용은 다음과 같습니다.

                    - 이미지에는 내용을 설명하는 대체 텍스트를 제공한다.
                    - 키보드만으로 모든 기능을 사용할 수 있어야 한다.
                    - 글자와 배경의 명도 대비를 충분히 확보한다.
                    - 입력 서식에는 명확한 레이블과 오류 안내를 제공한다.

                    ## 쉬운 언어

                    “제출하여야 함”보다 “내야 합니다”가, “본인 확인 절차 진행”보다
                    “본인인지 확인합니다”가 더 잘 읽힙니다. 문장은 짧게 쓰고, 어려운
                    법률 용어는 처음 나올 때 풀어서 설명하며, 기한과 수수료처럼
                    중요한 정보는 눈에 잘 띄는 곳에 둡니다.
                    """,
                ),
                DemoLesson(
                    title="서비스 만족도와 개선",
                    minutes=10,
                    body="""
                    서비스를 개선하려면 먼저 현재 상태를 측정해야 합니다. 매달 몇
                    가지 지표를 꾸준히 살펴보면 어디에서 문제가 생기는지 알 수
                    있습니다.

                    | 지표 | 의미 |
                    | --- | --- |
                    | 온라인 이용률 | 전체 신청 중 온라인 신청 비율 |
                    | 완료율 | 신청을 시작한 사람 중 제출까지 마친 비율 |
                    | 처리 기간 | 신청부터 결과 통지까지 걸린 날 수 |
                    | 보완 요청률 | 서류 미비로 보완을 요청한 비율 |
                    | 만족도 | 이용 후 간단한 설문 결과 |

                    완료율이 낮다면 이용자가 어느 단계에서 포기하는지 확인하고, 보완
                    요청률이 높다면 안내 문구가 충분히 명확한지 다시 살펴봅니다.
                    숫자는 문제가 어디에 있는지 알려 주고, 이용자와의 짧은 인터뷰는
                    왜 그런 문제가 생기는지 알려 줍니다. 개선한 뒤에는 같은 지표로
                    효과를 다시 확인합니다.
                    """,
                ),
            ),
        ),
    ),
)

# Still being written by the trainer: it stays a draft, out of the catalogue.
DATA_PROTECTION_DRAFT = DemoCourse(
    slug="personal-data-protection-in-public-administration",
    title="Personal data protection in public administration",
    language="en",
    category_slug="data-protection",
    estimated_hours=Decimal("2.0"),
    published=False,
    summary=(
        "What the Law on Personal Data Protection asks of civil servants who collect, use and "
        "share citizens' data, and how to answer a citizen who asks what the authority knows."
    ),
    description="""
        Every authority is a controller of personal data, and every civil servant handles it on
        the authority's behalf. This course explains the rules that apply and the rights
        citizens have, with examples from registers and administrative procedures.
    """,
    modules=(
        DemoModule(
            title="Principles and lawful bases",
            lessons=(
                DemoLesson(
                    title="Personal data and who is responsible",
                    minutes=12,
                    body="""
                    Personal data is any information relating to an identified or identifiable
                    person: a name, a personal identification number, an address, a photograph,
                    but also an IP address or a case number that can be linked to someone.
                    Special categories, such as health, ethnic origin, religious beliefs and
                    biometric data, need stronger protection.

                    ## Roles

                    - The **controller** decides why and how data is processed. For most
                      registers this is the authority itself, not the individual official.
                    - The **processor** handles data on the controller's behalf, for example a
                      company hosting the authority's system, under a written contract.
                    - The **data protection officer** advises the authority and is the contact
                      point for citizens and for the Commissioner.

                    Civil servants act on behalf of the controller and follow its internal
                    rules. Looking up someone in an official register for a private reason is
                    not a small slip: it is unlawful processing.
                    """,
                ),
                DemoLesson(
                    title="Lawful bases for processing",
                    minutes=10,
                    body="""
                    Processing is lawful only when it rests on one of the bases the law lists.
                    For public authorities the most common are:

                    | Basis | Example |
                    | --- | --- |
                    | Legal obligation | keeping the register of births |
                    | Public interest or official authority | deciding on a building permit |
                    | Consent | a newsletter about calls for proposals |
                    | Vital interests | sharing data in an emergency to save a life |

                    Consent is rarely the right basis for an authority. A citizen who needs a
                    decision is not free to refuse, so the consent would not be freely given.
                    Where the law already requires the processing, rely on that provision and
                    name it in the privacy notice.
                    """,
                ),
            ),
        ),
        DemoModule(
            title="Rights of the data subject",
            lessons=(
                DemoLesson(
                    title="Access, correction and erasure",
                    minutes=10,
                    body="""
                    Citizens have the right to know whether an authority processes their data,
                    to receive a copy, to have inaccurate data corrected and, in some cases, to
                    have data erased or its processing restricted. Erasure is limited where the
                    law requires the authority to keep the record, as with civil registers.

                    Make these rights easy to use: publish a contact address, accept requests in
                    any reasonable form, and confirm the identity of the person asking before
                    sending any data.
                    """,
                ),
                DemoLesson(
                    title="Answering a request on time",
                    minutes=10,
                    body="""
                    A request must be answered without undue delay and at the latest within 30
                    days of receipt. For complex requests the deadline can be extended by up to
                    60 days, but the citizen must be told of the extension, and why, within the
                    first 30 days.

                    1. Register the request on the day it arrives.
                    2. Confirm the identity of the applicant.
                    3. Collect the data from every system that holds it.
                    4. Remove data about other people, which must not be disclosed.
                    5. Send the answer and keep a record of what was sent.

                    > The deadline runs from receipt, not from the day the request reaches the
                    > right desk.
                    """,
                ),
            ),
        ),
    ),
)

COURSES = (
    E_GOVERNMENT,
    INFORMATION_SECURITY,
    DIGITAL_DOCUMENTS,
    E_GOVERNMENT_KOREA,
    DATA_PROTECTION_DRAFT,
)

# --- Enrolments --------------------------------------------------------------------------------

# Assigned enrolments go only to people inside the HR officer's sector, as the LMS itself would
# allow; everyone else enrols themselves.
ENROLMENTS = (
    # The demo learner: one course under way, one mandatory course due in a month, and one
    # finished course whose certificate is ready to download.
    DemoEnrolment(LEARNER.email, E_GOVERNMENT.slug, lessons_done=1),
    DemoEnrolment(LEARNER.email, DIGITAL_DOCUMENTS.slug, complete=True),
    DemoEnrolment(LEARNER.email, INFORMATION_SECURITY.slug, assigned=True, due_in_days=30),
    DemoEnrolment(
        demo_email("djordje.ljubic"),
        INFORMATION_SECURITY.slug,
        assigned=True,
        due_in_days=14,
        complete=True,
    ),
    DemoEnrolment(
        demo_email("milica.jovanovic"),
        INFORMATION_SECURITY.slug,
        assigned=True,
        due_in_days=-5,
        lessons_done=2,
    ),
    DemoEnrolment(
        demo_email("snezana.scekic"),
        INFORMATION_SECURITY.slug,
        assigned=True,
        due_in_days=30,
        complete=True,
    ),
    DemoEnrolment(
        demo_email("djordje.petrovic"), INFORMATION_SECURITY.slug, assigned=True, due_in_days=30
    ),
    DemoEnrolment(
        demo_email("emily.carter"),
        INFORMATION_SECURITY.slug,
        assigned=True,
        due_in_days=30,
        lessons_done=1,
    ),
    # Through the first module and its knowledge check, not yet at the final exam.
    DemoEnrolment(
        demo_email("minji.lee"),
        E_GOVERNMENT.slug,
        assigned=True,
        due_in_days=45,
        lessons_done=4,
        quizzes_passed=1,
    ),
    DemoEnrolment(demo_email("emily.carter"), E_GOVERNMENT.slug, complete=True),
    DemoEnrolment(demo_email("zarko.colic"), E_GOVERNMENT.slug),
    DemoEnrolment(demo_email("daniel.brooks"), E_GOVERNMENT.slug, lessons_done=2),
    DemoEnrolment(demo_email("ljiljana.djukic"), DIGITAL_DOCUMENTS.slug, complete=True),
    DemoEnrolment(demo_email("nebojsa.zivkovic"), DIGITAL_DOCUMENTS.slug, complete=True),
    DemoEnrolment(demo_email("djordje.petrovic"), DIGITAL_DOCUMENTS.slug, lessons_done=3),
    DemoEnrolment(demo_email("milena.cosic"), DIGITAL_DOCUMENTS.slug, lessons_done=1),
    DemoEnrolment(demo_email("jieun.kim"), E_GOVERNMENT_KOREA.slug, complete=True),
    DemoEnrolment(demo_email("hyunmok.oh"), E_GOVERNMENT_KOREA.slug, lessons_done=2),
    DemoEnrolment(demo_email("seojun.park"), E_GOVERNMENT_KOREA.slug),
)
