"""Sign-in and change-password forms."""

from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from service.forms import Form


class SignInForm(Form):
    username = StringField("Username", validators=[InputRequired("Enter your username")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[InputRequired("Enter your current password")])
    new_password = PasswordField("New password", validators=[InputRequired("Enter a new password")])
    confirm_password = PasswordField("New password again", validators=[InputRequired("Enter the new password again")])
