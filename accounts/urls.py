from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/verification/", views.twofactor_verify, name="twofactor_verify"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("compte/double-authentification/", views.twofactor_enrol, name="twofactor_enrol"),
    path(
        "compte/double-authentification/codes-de-secours/",
        views.twofactor_recovery_codes,
        name="twofactor_recovery_codes",
    ),
    path("compte/double-authentification/desactiver/", views.twofactor_disable, name="twofactor_disable"),
    path("mot-de-passe/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
]
