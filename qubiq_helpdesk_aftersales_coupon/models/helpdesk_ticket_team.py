# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The team's switch of this service is defined by qubiq_helpdesk_aftersales, whose
# team form offers every after-sales service and installs this add-on when ticked.
