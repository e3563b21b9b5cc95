"""Who works in the system: municipalities, their teams and the users.

Three roles: the caseworker (RIO, member of exactly one team), the manager
(of one municipality, sees aggregates only) and the functional admin (works
in Django admin). The database enforces the combinations.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(
                r"^GM[0-9]{4}\Z",
                _("Enter the CBS municipality code as GM followed by four digits, e.g. GM0505."),
            )
        ],
        help_text=_("GM followed by four digits, e.g. GM0505 for Dordrecht."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cbs_code__regex=r"^GM[0-9]{4}$"),
                name="municipality_cbs_code_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("municipality"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="team_unique_name_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def caseworkers_of(self, team: Team | int | None, *, active_only: bool = True) -> UserQuerySet:
        """The caseworkers of one team (a Team or its id), by name.

        Active only by default: that is the list to give work to (a trajectory's
        caseworker, the receiver of a handover). `active_only=False` adds the
        deactivated colleagues, for lists about work that already exists: the
        caseload's caseworker filter, so the young people a colleague left behind
        can still be found and named, and the coordinator's choice of whose
        caseload to hand over, so a leaver's caseload can be moved in one go.
        """
        if team is None:
            return self.none()
        caseworkers = self.filter(team=team, role=User.Role.CASEWORKER)
        if active_only:
            caseworkers = caseworkers.filter(is_active=True)
        return caseworkers.order_by("first_name", "last_name", "username")


class RioUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser is a functional admin; no other role may be staff.
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Caseworker (RIO)")
        MANAGER = "manager", _("Manager")
        ADMIN = "admin", _("Functional admin")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
        help_text=_("Required for caseworkers; empty for the other roles."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managers",
        verbose_name=_("municipality"),
        help_text=_("Required for managers: the municipality whose reports they see."),
    )
    is_team_coordinator = models.BooleanField(
        _("team coordinator"),
        default=False,
        help_text=_(
            "Only for caseworkers. The coordinator can hand over the caseload of any "
            "colleague in the team; other caseworkers hand over only their own."
        ),
    )

    # When someone else (an admin) last set this account's password: from then
    # on a TOTP enrolled before it no longer opens anything (`needs_totp_enrolment`).
    password_set_by_other_at = models.DateTimeField(
        _("password set by someone else at"), null=True, blank=True, editable=False
    )

    objects = RioUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A caseworker belongs to exactly one team; nobody else has one,
            # because team membership is what opens client dossiers.
            models.CheckConstraint(
                condition=(
                    models.Q(role="caseworker", team__isnull=False)
                    | (~models.Q(role="caseworker") & models.Q(team__isnull=True))
                ),
                name="user_team_only_for_caseworkers",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role="manager", municipality__isnull=False) | ~models.Q(role="manager")
                ),
                name="user_manager_has_municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=True) | ~models.Q(role="caseworker"),
                name="user_caseworker_municipality_from_team",
            ),
            models.CheckConstraint(
                condition=models.Q(is_team_coordinator=False) | models.Q(role="caseworker"),
                name="user_only_caseworkers_coordinate",
            ),
            # Only functional admins may enter Django admin.
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role="admin"),
                name="user_only_admins_are_staff",
            ),
        ]

    # From the TextChoices, which Meta's body cannot see.
    Meta.constraints += [
        models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
    ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_caseworker(self) -> bool:
        return self.role == self.Role.CASEWORKER

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_functional_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def home_municipality(self) -> Municipality | None:
        """The municipality this user works for (via the team for caseworkers)."""
        if self.team_id:
            return self.team.municipality
        return self.municipality

    def password_set_by(self, by: User | None) -> None:
        """Someone else (`by`, an admin; None for a management command) set this
        account's password, which they therefore know.

        The TOTP device stays, so the new password alone does not open the
        account; but once in, the user must enrol a new TOTP before any page
        opens (`needs_totp_enrolment`), and they get an e-mail about it.
        """
        from accounts.notices import send_account_change_notice

        self.password_set_by_other_at = timezone.now()
        self.save(update_fields=["password_set_by_other_at"])
        send_account_change_notice(
            user=self, changes=["password"], at=self.password_set_by_other_at
        )

    def needs_totp_enrolment(self) -> bool:
        """No TOTP, or only one enrolled before someone else last set the password."""
        from allauth.mfa.models import Authenticator

        totp = Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP)
        if self.password_set_by_other_at is not None:
            totp = totp.filter(created_at__gt=self.password_set_by_other_at)
        return not totp.exists()

    def may_hand_over_caseload_of(self, other: User) -> bool:
        """Whether this user may hand over every open trajectory of `other`.

        A caseworker hands over their own caseload; the team coordinator also
        that of any colleague in the team, deactivated ones included.
        """
        if not self.is_caseworker or not self.team_id:
            return False
        if not other.is_caseworker or other.team_id != self.team_id:
            return False
        return other.pk == self.pk or self.is_team_coordinator

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.role == self.Role.CASEWORKER and not self.team_id:
            errors["team"] = _("A caseworker must belong to a team.")
        if self.role != self.Role.CASEWORKER and self.team_id:
            errors["team"] = _("Only caseworkers belong to a team.")
        if self.role == self.Role.MANAGER and not self.municipality_id:
            errors["municipality"] = _("A manager needs the municipality whose reports they see.")
        if self.role == self.Role.CASEWORKER and self.municipality_id:
            errors["municipality"] = _(
                "Leave empty for a caseworker: the municipality follows from the team."
            )
        if self.is_team_coordinator and self.role != self.Role.CASEWORKER:
            errors["is_team_coordinator"] = _("Only a caseworker can be team coordinator.")
        if self.is_staff and self.role != self.Role.ADMIN:
            errors["is_staff"] = _("Only functional admins may use the admin site.")
        if errors:
            raise ValidationError(errors)
