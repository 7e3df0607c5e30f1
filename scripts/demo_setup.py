"""Finish the demo database: Spanish interface, Madrid time zone, known logins.

Run by scripts/run-demo after install/update; safe to run again (it only sets values).
Usage: python3 scripts/demo_setup.py -c ODOO_CONF -d DATABASE
"""

import argparse

import odoo
from odoo import SUPERUSER_ID, api


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", dest="config", required=True)
    parser.add_argument("-d", dest="database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for code in ("es_ES", "en_US"):
            env["res.lang"]._activate_lang(code)
        admin = env.ref("base.user_admin")
        admin.write({"lang": "es_ES", "tz": "Europe/Madrid", "password": "admin"})
        portal = env.ref("base.demo_user0", raise_if_not_found=False)
        if portal:
            portal.write({"lang": "es_ES", "tz": "Europe/Madrid", "password": "portal"})
        env.ref("base.main_company").partner_id.tz = "Europe/Madrid"
        # The website (installed with the coupon add-on) answers in its default
        # language until a visitor picks one, and its login page stores that choice in
        # a cookie: a Spanish demo's portal must open in Spanish in a fresh browser.
        if "website" in env:
            spanish = env.ref("base.lang_es")
            for website in env["website"].search([]):
                website.write(
                    {
                        "language_ids": [(4, spanish.id)],
                        "default_lang_id": spanish.id,
                    }
                )


if __name__ == "__main__":
    main()
