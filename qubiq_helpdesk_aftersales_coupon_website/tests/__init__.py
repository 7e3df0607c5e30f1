from . import test_coupon_share
