"""Sign-in (learner PIN, staff password, printed card), sign-out, language, my data."""
from __future__ import annotations

import hmac

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from hue_literacy import request_inputs as inputs
from hue_literacy.access import Role
from hue_literacy.accounts import services
from hue_literacy.accounts.forms import RegisterForm, SignInForm, StaffSignInForm
from hue_literacy.accounts.models import User
from hue_literacy.accounts.throttle import ThrottlePolicy
from hue_literacy.downloads import personal_data_context, personal_data_download
from hue_literacy.extensions import csrf, db, login_manager
from hue_literacy.i18n import chosen_language, remember_language
from hue_literacy.main.navigation import safe_next_url
from hue_literacy.refusals import InputRefused
from hue_literacy.wards.services import all_wards

bp = Blueprint("accounts", __name__, template_folder="templates")
# JSON settings a cached page (no form token) changes: exempt from form CSRF like the sync
# API, and JSON only, which a cross-site page cannot send without a preflight.
api = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(api)
    app.register_blueprint(api)
    login_manager.login_view = "accounts.sign_in"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The person of a session or remember cookie, if its token is still theirs (see
    User.get_id: a new card, PIN or password, or deletion gives a new token)."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or not user.session_token:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


@login_manager.unauthorized_handler
def unauthorized():
    from hue_literacy.access import deny

    deny(401)


def _policy() -> ThrottlePolicy:
    config = current_app.config
    return ThrottlePolicy(
        window=config["SIGNIN_WINDOW"],
        max_per_phone=config["SIGNIN_MAX_FAILURES_PER_PHONE"],
        max_per_address=config["SIGNIN_MAX_FAILURES_PER_ADDRESS"],
    )


def _hash_method(staff: bool = True) -> str:
    """How new secrets are hashed: staff passwords at full cost, learners' PINs cheaper."""
    if not staff:
        return current_app.config.get("PIN_HASH_METHOD") or _hash_method()
    return current_app.config.get("PASSWORD_HASH_METHOD", services.DEFAULT_HASH_METHOD)


def _wait_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return _(
        "Too many wrong tries. Please wait %(minutes)d minutes, then try again.",
        minutes=minutes,
    )


def _sign_in_page(form, staff: bool):
    template = "accounts/staff_sign_in.html" if staff else "accounts/sign_in.html"
    if form.validate_on_submit():
        secret = form.password.data if staff else form.pin.data
        result = services.sign_in(
            form.phone.data, secret, request.remote_addr, _policy(), staff=staff,
            hash_method=_hash_method(staff),
        )
        if result.user:
            login_user(result.user, remember=True)
            if result.user.locale is None and chosen_language():
                result.user.locale = chosen_language()
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))
        message = _wait_message(result.wait_seconds) if result.wait_seconds else str(result.error)
        # A name tile of a shared phone names its account (who=): deleted since, it is said so
        # and the phone takes the tile off (family-tiles.js). Only a deletion is told: no PIN
        # is checked against an erased account, and an account that exists is never named.
        gone = None if staff or result.wait_seconds else services.deleted_learner(
            request.form.get("who", ""))
        if gone:
            message = _("This account was deleted: it cannot sign in any more. Its name and its "
                        "results waiting on this phone are taken off the phone.")
        return render_template(template, form=form, error=message, gone_account=gone), (
            429 if result.wait_seconds else 200
        )
    return render_template(template, form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    return _sign_in_page(SignInForm(), staff=False)


@bp.route("/staff/sign-in", methods=["GET", "POST"])
def staff_sign_in():
    return _sign_in_page(StaffSignInForm(), staff=True)


@bp.post("/sign-out")
def sign_out():
    logout_user()
    flash(_("You have signed out. See you soon!"), "info")
    return redirect(url_for("main.home"))


@bp.route("/card/<token>")
def card_sign_in(token: str):
    """The QR on a printed sign-in card leads here and signs the learner in."""
    user = services.user_from_card_token(token, current_app.config["SECRET_KEY"])
    if user is None:
        flash(
            _("This sign-in card is no longer valid. Please ask your digital ambassador."),
            "error",
        )
        return redirect(url_for("accounts.sign_in"))
    login_user(user, remember=True)
    flash(_("Welcome, %(name)s!", name=user.full_name), "success")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """A learner signs up alone (ambassadors use the learners pages)."""
    form = RegisterForm()
    form.ward.choices = [(ward.id, ward.name) for ward in all_wards()]
    form.group.choices = inputs.framework().group_choices()
    error = None
    if form.validate_on_submit():
        from hue_literacy.wards.models import Ward

        try:
            learner = services.register_learner(
                full_name=form.full_name.data,
                raw_phone=form.phone.data,
                pin=form.pin.data,
                ward=db.session.get(Ward, form.ward.data),
                group=form.group.data,
                birth_date=form.birth_date.data,
                consent=form.consent.data,
                registered_by=None,
                locale=chosen_language(),
                hash_method=_hash_method(staff=False),
            )
        except InputRefused as refused:
            db.session.rollback()
            error = str(refused.message)
        else:
            login_user(learner, remember=True)
            flash(_("Your account is ready. Welcome!"), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/register.html", form=form, error=error)


@bp.post("/language")
def change_language():
    """Switch between Tiếng Việt and English: kept in a cookie, and for the account too."""
    lang = request.form.get("lang")
    response = redirect(safe_next_url(request.form.get("next")) or url_for("main.home"))
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        remember_language(response, lang)
        if current_user.is_authenticated:
            current_user.locale = lang
    return response


@bp.route("/me/data")
@login_required
def my_data():
    return render_template("accounts/my_data.html", user=current_user)


@bp.route("/me/data.json")
@login_required
def download_my_data():
    return personal_data_download(current_user)


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete_my_account():
    if current_user.role != Role.LEARNER:
        flash(_("Staff accounts are removed by the city admin."), "error")
        return redirect(url_for("accounts.my_data"))
    if request.method == "POST":
        if request.form.get("confirm") != "yes":
            return render_template(
                "accounts/delete.html",
                error=_("Please tick the box to confirm."),
                subject=current_user,
            )
        user = current_user._get_current_object()
        logout_user()
        services.delete_account(user, personal_data_context())
        session["gone_account"] = user.id  # the phone takes the name tile off (/api/v1/session)
        flash(_("Your account and your personal data have been deleted."), "info")
        return redirect(url_for("main.home"))
    return render_template("accounts/delete.html", subject=current_user)


@api.put("/me/text-size")
@login_required
def choose_text_size():
    """Keep the text size the person chose on their account: every phone they use shows it."""
    if not request.is_json:
        return jsonify(error=_("Send the text size as JSON.")), 415
    data = request.get_json(silent=True)
    try:
        size = services.choose_text_size(
            current_user, data.get("text_size") if isinstance(data, dict) else None)
    except InputRefused as refused:
        return jsonify(error=str(refused.message), field="text_size"), 400
    return jsonify(text_size=size)
