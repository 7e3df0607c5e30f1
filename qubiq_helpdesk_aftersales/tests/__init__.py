from . import test_aftersales_base
