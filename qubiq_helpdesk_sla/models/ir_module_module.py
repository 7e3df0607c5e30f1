# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools.translate import TranslationImporter, get_po_paths

# The ticket priority labels this module redefines (Leve, Normal, Grave, Crítica)
# live on selection records that helpdesk_mgmt created first ("Low" = "Baja").
PRIORITY_XMLIDS = {
    f"qubiq_helpdesk_sla.selection__helpdesk_ticket__priority__{key}" for key in "0123"
}


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False):
        res = super()._load_module_terms(modules, langs, overwrite=overwrite)
        if "qubiq_helpdesk_sla" in modules:
            self._sla_load_priority_labels(langs)
        return res

    def _sla_load_priority_labels(self, langs):
        """Give the ticket priorities this module's labels in every language loaded.

        Odoo keeps the first translation a record gets and helpdesk_mgmt's comes first;
        only these four records are overwritten, from this module's own .po files."""
        importer = TranslationImporter(self.env.cr, verbose=False)
        for lang in langs:
            for po_path in get_po_paths("qubiq_helpdesk_sla", lang):
                importer.load_file(po_path, lang)
        selections = importer.model_translations.get("ir.model.fields.selection", {})
        labels = {
            xmlid: translations
            for xmlid, translations in selections.get("name", {}).items()
            if xmlid in PRIORITY_XMLIDS
        }
        importer.model_translations.clear()
        importer.model_terms_translations.clear()
        if labels:
            importer.model_translations["ir.model.fields.selection"] = {"name": labels}
            importer.save(force_overwrite=True)
