"""The change-password form."""

from wtforms import PasswordField
from wtforms.validators import InputRequired

from service.forms import Form


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[InputRequired("Enter your current password")])
    new_password = PasswordField("New password", validators=[InputRequired("Enter a new password")])
    confirm_password = PasswordField("New password again", validators=[InputRequired("Enter the new password again")])
