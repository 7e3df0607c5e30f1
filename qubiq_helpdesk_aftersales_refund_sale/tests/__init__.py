from . import test_refund_sale
