from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.redirects import safe_next

from . import twofactor
from .forms import EmailAuthenticationForm, EnrolmentForm, SecondFactorForm
from .passwords import AccountSetPasswordForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.has_device(user):
            return super().form_valid(form)
        # The password is right; the person is not logged in before the code.
        twofactor.pending_set(self.request, user=user, backend=user.backend)
        target = twofactor.verify_url(self.get_success_url())
        return redirect(target)


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the app or a recovery code."""
    if request.user.is_authenticated:
        user = request.user
        if user.is_verified() or not twofactor.has_device(user):
            return redirect(safe_next(request) or "/")
    else:
        user = twofactor.pending_user(request)
        if user is None:
            messages.info(request, "Votre session a expiré : reconnectez-vous.")
            return redirect("accounts:login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = twofactor.second_factor_check(request, user=user, token=form.cleaned_data["code"])
        if attempt.locked:
            twofactor.pending_clear(request)
            return render(request, "accounts/locked.html", status=429)
        if attempt.device is not None:
            if not request.user.is_authenticated:
                backend = twofactor.pending_backend(request)
                twofactor.pending_clear(request)
                login(request, user, backend=backend)
            twofactor.mark_verified(request, attempt.device)
            if attempt.device.name == twofactor.RECOVERY_NAME:
                left = attempt.device.token_set.count()
                messages.warning(
                    request,
                    f"Code de secours utilisé : il vous en reste {left}. "
                    "Créez-en de nouveaux depuis « Mon compte » s'il vous en reste peu.",
                )
            return redirect(safe_next(request) or "/")
        form.add_error("code", "Code incorrect ou expiré. Vérifiez l'heure de votre téléphone et réessayez.")
    return render(request, "accounts/twofactor_verify.html", {"form": form, "next": safe_next(request)})


@require_http_methods(["GET", "POST"])
@login_required
def twofactor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: QR code and secret, then the first code confirms it and the ten
    recovery codes are shown, once."""
    user = request.user
    if twofactor.has_device(user) and not user.is_verified():
        return redirect("accounts:twofactor_verify")
    device = twofactor.totp_enrolment_start(user=user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_enrolment_confirm(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            twofactor.mark_verified(request, device)
            return render(request, "accounts/twofactor_codes.html", {"codes": codes, "enrolled": True})
        form.add_error("code", "Code incorrect. Saisissez le code affiché maintenant par l'application.")
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "required": twofactor.required_for(user) and not twofactor.has_device(user),
    }
    return render(request, "accounts/twofactor_enrol.html", context)


@require_POST
@login_required
def twofactor_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_device(request.user):
        return redirect("accounts:twofactor_enrol")
    codes = twofactor.recovery_codes_issue(user=request.user)
    return render(request, "accounts/twofactor_codes.html", {"codes": codes, "enrolled": False})


@require_POST
@login_required
def twofactor_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if twofactor.required_for(user):
        messages.error(request, "La double authentification est obligatoire pour les administrateurs.")
        return redirect("agenda:account")
    form = SecondFactorForm(request.POST)
    if not form.is_valid() or twofactor.device_verify(user=user, token=form.cleaned_data["code"]) is None:
        messages.error(request, "Code incorrect : la double authentification reste active.")
        return redirect("agenda:account")
    twofactor.twofactor_disable(user=user)
    messages.success(request, "Double authentification désactivée.")
    return redirect("agenda:account")


class PasswordResetView(auth_views.PasswordResetView):
    """« Mot de passe oublié » (the form that queues the e-mail is given by ctg/urls.py: jobs sit above)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The page of the link (invitation or reset): a new password, or « ce lien n'est plus valable »."""

    template_name = "accounts/password_set.html"
    form_class = AccountSetPasswordForm
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Mot de passe enregistré : connectez-vous avec votre adresse e-mail.")
        return response
