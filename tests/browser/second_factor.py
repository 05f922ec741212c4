"""The second step of the login in the browser (accounts/twofactor.py): the code of the person's device."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor

VERIFY_PATH = "/connexion/verification/"


def give_code(page, email: str, *, before=None) -> None:
    """On the code page, type the code the person's app shows now; `before(page)` runs on the page first."""
    if VERIFY_PATH not in page.url:
        return
    if before is not None:
        before(page)
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.get_by_label("Code de vérification").fill(twofactor.current_code(device))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)
