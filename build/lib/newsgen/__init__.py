"""newsgen: static archive sites for Chinese local newspapers."""

__version__ = "0.1.0"
