from . import wizards
