from . import test_retarget_jobs
