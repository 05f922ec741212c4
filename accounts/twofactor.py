"""Two-factor authentication (issue 17 item 8): TOTP (django-otp) with ten single-use recovery codes.

The rules, in one place:
- a person with a confirmed device gives a code after the password before being logged in (the login view
  keeps the person "pending" in the session; nobody is logged in on the password alone);
- administrators (staff or superuser) must have a device: until they enrol, every page but enrolment and
  logout sends them to enrolment, and no page (the admin site included) opens before the code is checked;
- every wrong code counts as a failed login for django-axes (same lock-out as the password), and django-otp
  throttles each device too;
- recovery codes are shown once, at creation, and each works once (django-otp's static device deletes it).
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
PENDING_SESSION_KEY = "twofactor_pending"
PENDING_LIFETIME = timedelta(minutes=5)
TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"


def required_for(user) -> bool:
    """Administrators cannot work without a second factor."""
    return bool(user.is_staff or user.is_superuser)


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG (qrcode's SVG path image: no Pillow)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def current_code(device: TOTPDevice) -> str:
    """The code the device's app shows now (the demo command and the tests; never shown to anyone else)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def normalised(token: str) -> str:
    """Codes are typed with spaces, hyphens or capitals ("123 456", "ABCD-EFGH"): compare without them."""
    return re.sub(r"[\s-]", "", token or "").lower()


# --- services (they write) -------------------------------------------------------------------------------


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed device being set up, the same one on reload (its secret must not change under the
    person's eyes); a confirmed device is never replaced here."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """The first code from the app confirms the device; returns the new recovery codes (to show once), or
    None if the code is wrong (nothing confirmed)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(normalised(token)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Ten new recovery codes; the previous ones stop working. Stored as django-otp stores them; shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_device_seed(*, user, key_hex: str) -> TOTPDevice:
    """A confirmed device with a known secret (the demo administrator's, printed by load_demo); an existing
    confirmed device is kept as it is."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key_hex, confirmed=True)


@transaction.atomic
def twofactor_disable(*, user) -> None:
    """Removes every device (not for administrators: the view refuses)."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def device_verify(*, user, token: str):
    """The device that accepts the code (TOTP or recovery code), or None. Each device throttles itself."""
    token = normalised(token)
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(token):
                return device
    return None


@dataclass
class Attempt:
    device: object | None = None
    locked: bool = False


def second_factor_check(request: HttpRequest, *, user, token: str) -> Attempt:
    """A code given at login: refused outright while django-axes locks the address, and each wrong code is
    a failed login for django-axes (so the password and the code share one limit)."""
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return Attempt(locked=True)
    device = device_verify(user=user, token=token)
    if device is None:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return Attempt(locked=bool(getattr(request, "axes_locked_out", False)))
    return Attempt(device=device)


def mark_verified(request: HttpRequest, device) -> None:
    otp_login(request, device)


# --- the login step between password and code -----------------------------------------------------------


def pending_set(request: HttpRequest, *, user, backend: str) -> None:
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": backend,
        "since": timezone.now().isoformat(),
    }


def pending_user(request: HttpRequest):
    """The person who gave the right password and still owes a code (for five minutes), or None."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        since = timezone.datetime.fromisoformat(data["since"])
        user = get_user_model().objects.get(pk=data["user"], is_active=True)
    except (KeyError, TypeError, ValueError, get_user_model().DoesNotExist):
        return None
    if timezone.now() - since > PENDING_LIFETIME:
        return None
    return user


def pending_backend(request: HttpRequest) -> str:
    return request.session[PENDING_SESSION_KEY]["backend"]


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


# --- the middleware that holds administrators and unverified sessions -----------------------------------

EXEMPT_URL_NAMES = (
    "accounts:logout",
    "accounts:twofactor_verify",
    "accounts:twofactor_enrol",
)


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: an administrator whose session has not given a code (opened by the
    admin site's own login page, say) is sent to the code page, or to enrolment without a device; every page
    is held, /admin/ included. Others are never held here (the login view asks their code), so their pages
    cost no query. Static files and anonymous pages are untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            target = self._target(request, user)
            if target is not None:
                return target
        return self.get_response(request)

    def _target(self, request: HttpRequest, user):
        if not required_for(user):
            # Others give their code in the login view itself; no query on their pages.
            return None
        exempt = {reverse(name) for name in EXEMPT_URL_NAMES}
        if request.path in exempt or request.path.startswith(("/static/", "/sante/")):
            return None
        if has_device(user):
            return redirect(verify_url(request.get_full_path()))
        return redirect("accounts:twofactor_enrol")


def verify_url(next_path: str) -> str:
    return f"{reverse('accounts:twofactor_verify')}?{urlencode({'next': next_path})}"


def verified_session(session, device) -> None:
    """Marks a session (a test client's, or one being created) as having given a code with device."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def status(user) -> dict:
    """What « Mon compte » shows: whether the app is set up and how many recovery codes are left."""
    static = StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()
    return {
        "enabled": has_device(user),
        "required": required_for(user),
        "recovery_left": static.token_set.count() if static else 0,
    }
