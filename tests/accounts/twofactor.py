"""Test helpers for two-factor authentication."""

import functools

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=twofactor.TOTP_NAME, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return twofactor.current_code(device)


def verified_force_login(original):
    @functools.wraps(original)
    def force_login(self, user, backend=None):
        original(self, user, backend)
        if twofactor.required_for(user):
            session = self.session
            twofactor.verified_session(session, confirmed_device(user))
            session.save()

    return force_login
