from . import report_account_review_summary
