"""Demo accounts `<code>-<role>`, each with TOTP enrolled. They exist only when `seed_demo` runs.

Password: settings.DEMO_PASSWORD (default demo-password-1). TOTP secret: JBSWY3DPEHPK3PXP.
"""

from dataclasses import dataclass

from django.conf import settings

from accounts.models import Role, User
from participants.models import Agency
from portal.seeding import register_seeder

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - published demo secret, documented in the README


@dataclass(frozen=True)
class DemoAccount:
    username: str
    participant: str
    agency: str
    role: str
    first_name: str
    last_name: str
    job_title: str = ""
    contact_point: bool = False


IDN_IMM = "Directorate General of Immigration"
AUS_IMM = "Department of Immigration and Citizenship"
LKA_IMM = "Department of Immigration and Emigration"
MYS_IMM = "Immigration Department of Malaysia"
RSO = "Regional Support Office, Bangkok"

DEMO_ACCOUNTS = [
    DemoAccount("idn-focal", "idn", IDN_IMM, Role.FOCAL_POINT, "Dewi", "Santoso", "Director, Intelligence", True),
    DemoAccount("idn-analyst", "idn", IDN_IMM, Role.ANALYST, "Budi", "Hartono", "Intelligence analyst"),
    DemoAccount("idn-contributor", "idn", "Indonesian National Police", Role.CONTRIBUTOR, "Rina", "Wijaya"),
    DemoAccount("aus-focal", "aus", AUS_IMM, Role.FOCAL_POINT, "Sarah", "Mitchell", "Bali Process focal point", True),
    DemoAccount(
        "aus-analyst",
        "aus",
        "Australian High Commission, Colombo",
        Role.ANALYST,
        "James",
        "Cooper",
        "Airline liaison officer",
    ),
    DemoAccount("aus-contributor", "aus", AUS_IMM, Role.CONTRIBUTOR, "Emma", "Nguyen", "Policy officer"),
    DemoAccount("lka-focal", "lka", LKA_IMM, Role.FOCAL_POINT, "Nimal", "Perera", "Controller (Border)", True),
    DemoAccount("lka-contributor", "lka", LKA_IMM, Role.CONTRIBUTOR, "Ayesha", "Fernando", "RILON coordinator"),
    DemoAccount("lka-analyst", "lka", LKA_IMM, Role.ANALYST, "Kamal", "Jayasuriya", "Document examiner"),
    DemoAccount("mys-focal", "mys", MYS_IMM, Role.FOCAL_POINT, "Aminah", "Yusof", "Deputy Director", True),
    DemoAccount("mys-analyst", "mys", MYS_IMM, Role.ANALYST, "Farid", "Rahman", "Analyst"),
    DemoAccount("mys-viewer", "mys", MYS_IMM, Role.VIEWER, "Siti", "Hassan", "Officer"),
    DemoAccount(
        "tha-analyst",
        "tha",
        "Immigration Bureau, Royal Thai Police",
        Role.ANALYST,
        "Somchai",
        "Chaiyaporn",
        "Police Major, analysis",
    ),
    DemoAccount("ind-analyst", "ind", "Bureau of Immigration", Role.ANALYST, "Priya", "Sharma", "Analyst"),
    DemoAccount("nzl-viewer", "nzl", "Immigration New Zealand", Role.VIEWER, "Aroha", "Walker", "Risk officer"),
    DemoAccount(
        "iom-analyst",
        "iom",
        "IOM Regional Office for Asia and the Pacific",
        Role.ANALYST,
        "Marco",
        "Rossi",
        "Migration data officer",
    ),
    DemoAccount(
        "unhcr-analyst",
        "unhcr",
        "UNHCR Regional Bureau for Asia and the Pacific",
        Role.ANALYST,
        "Leila",
        "Haddad",
        "Protection officer",
    ),
    DemoAccount("usa-viewer", "usa", "Department of State", Role.VIEWER, "Michael", "Brooks", "Desk officer"),
    DemoAccount(
        "can-viewer", "can", "Canada Border Services Agency", Role.VIEWER, "Claire", "Tremblay", "Liaison officer"
    ),
    DemoAccount("rso-secretariat", "rso", RSO, Role.SECRETARIAT, "Ratna", "Kusuma", "RSO co-manager"),
    DemoAccount("rso-auditor", "rso", RSO, Role.AUDITOR, "Daniel", "Ortega", "Auditor"),
    DemoAccount("admin", "rso", RSO, Role.SYSTEM_ADMIN, "Portal", "Administrator", "System administrator"),
]


def enrol_totp(user: User, secret: str = DEMO_TOTP_SECRET) -> None:
    """Give a user a TOTP authenticator with a known secret (demo accounts only)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return
    TOTP.activate(user, secret)


def ensure_demo_account(spec: DemoAccount) -> User:
    agency = Agency.objects.get(participant__code=spec.participant, name=spec.agency)
    user, _created = User.objects.update_or_create(
        username=spec.username,
        defaults={
            "email": f"{spec.username}@demo.baliprocess.invalid",
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "agency": agency,
            "role": spec.role,
            "job_title": spec.job_title,
            "is_contact_point": spec.contact_point,
            "is_active": True,
        },
    )
    if not user.has_usable_password() or not user.check_password(settings.DEMO_PASSWORD):
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    enrol_totp(user)
    return user


@register_seeder("accounts", order=20)
def seed(say) -> None:
    for spec in DEMO_ACCOUNTS:
        ensure_demo_account(spec)
    say(f"{len(DEMO_ACCOUNTS)} demo accounts (password from DEMO_PASSWORD, TOTP secret {DEMO_TOTP_SECRET})")
