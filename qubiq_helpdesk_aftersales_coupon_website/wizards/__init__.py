from . import qubiq_helpdesk_coupon_wizard
