"""The sign-in form."""

from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from service.forms import Form


class SignInForm(Form):
    username = StringField("Username", validators=[InputRequired("Enter your username")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])
