"""Staff users, their roles and teams, personal API tokens, and what protects
signing in: failed attempts and locks, TOTP devices and recovery codes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from amiable.core.encryption import EncryptedTextField
from amiable.core.models import TimeStampedModel


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    ADMIN = "admin", _("Administrator")


class Team(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    email = models.EmailField(_("team email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.AGENT
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, default="fr"
    )
    is_available = models.BooleanField(_("available for assignment"), default=True)
    # Opt-in: their notifications (a customer's reply, a breach) also by e-mail.
    notify_by_email = models.BooleanField(
        _("notifications by e-mail"), default=False, db_default=False
    )
    sessions_epoch = models.PositiveIntegerField(
        _("sessions generation"),
        default=0,
        help_text=_("Raised by « sign out everywhere »: older sessions end."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["team", "role"], name="user_team_role_idx")]

    @property
    def display_name(self) -> str:
        full = self.get_full_name()
        return full or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django checks this hash on every request: it changes with the password
        and with ``sessions_epoch``, so raising the epoch ends every session."""
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password
        if self.sessions_epoch:
            value = f"{self.password}:{self.sessions_epoch}"
        return salted_hmac(
            key_salt, value, secret=secret, algorithm="sha256"
        ).hexdigest()


class ApiToken(TimeStampedModel):
    """A personal API token. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SignInFailure(models.Model):
    """One wrong password (or unknown API token) from one client address."""

    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.CharField(_("client address"), max_length=45, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["username", "address", "at"], name="signin_pair_idx"),
            models.Index(fields=["address", "at"], name="signin_address_idx"),
            models.Index(fields=["at"], name="signin_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M}"


class LockScope(models.TextChoices):
    ACCOUNT_AND_ADDRESS = "account_address", _("account, from one address")
    ADDRESS = "address", _("client address, every account")
    ACCOUNT = "account", _("account, from every address")


class SignInLock(models.Model):
    """Sign-in refused for an account and/or a client address until ``until``
    (or until an administrator lifts it)."""

    scope = models.CharField(_("scope"), max_length=20, choices=LockScope.choices)
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.CharField(_("client address"), max_length=45, blank=True)
    locked_at = models.DateTimeField(_("locked at"))
    until = models.DateTimeField(_("locked until"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    class Meta:
        ordering = ["-locked_at"]
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        indexes = [
            models.Index(fields=["username", "until"], name="signin_lock_user_idx"),
            models.Index(fields=["address", "until"], name="signin_lock_addr_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.username} {self.address}".strip()


class TotpDevice(TimeStampedModel):
    """A user's authenticator app (RFC 6238, 30 s steps, 6 digits). Usable once
    confirmed with a first code; ``last_step`` refuses a code seen before."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("user"),
    )
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last code step used"), default=0)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP #{self.user_id}"


class RecoveryCode(models.Model):
    """A one-use code for when the authenticator app is lost; stored hashed."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("user"),
    )
    code_hash = models.CharField(_("code (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="recovery_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"recovery code #{self.pk} of user #{self.user_id}"


class SignInSettings(models.Model):
    """The one row of sign-in settings (``signin_settings_get`` gives defaults):
    which roles must use two-step verification."""

    two_factor_agents = models.BooleanField(
        _("agents must use two-step verification"), default=False
    )
    two_factor_supervisors = models.BooleanField(
        _("supervisors must use two-step verification"), default=False
    )
    two_factor_quality_managers = models.BooleanField(
        _("quality managers must use two-step verification"), default=False
    )
    two_factor_admins = models.BooleanField(
        _("administrators must use two-step verification"), default=False
    )

    class Meta:
        verbose_name = _("sign-in settings")
        verbose_name_plural = _("sign-in settings")

    def __str__(self) -> str:
        return str(_("Sign-in settings"))

    def requires_two_factor(self, role: str) -> bool:
        return {
            Role.AGENT: self.two_factor_agents,
            Role.SUPERVISOR: self.two_factor_supervisors,
            Role.QUALITY_MANAGER: self.two_factor_quality_managers,
            Role.ADMIN: self.two_factor_admins,
        }.get(Role(role), False)
