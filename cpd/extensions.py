"""The extension instances, and nothing else: create_app() binds them to the app."""
import sqlalchemy as sa
from authlib.integrations.flask_client import OAuth
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from cpd.core.api import CpdApi
from cpd.core.replica import RoutingSession

db = SQLAlchemy(
    session_options={"class_": RoutingSession},
    metadata=sa.MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
api = CpdApi()
authorization_server = AuthorizationServer()  # single sign-on: this platform as an OpenID provider
require_oauth = ResourceProtector()
identity_providers = OAuth()  # single sign-on: this platform as a client of the body's identity provider
