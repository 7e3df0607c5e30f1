# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Open every backend screen of the helpdesk as a given user, as the web client does.

Generated from the registry: the menus come from ``ir.ui.menu`` (what the user sees),
the fields from the views as ``get_views`` gives them to that user, the buttons from
the ticket form. A new menu, view field or button is covered without touching this
file; a new client action must be taught to ``CLIENT_ACTIONS``.

Each check returns a list of failures (strings); an empty list means the role opens
everything it sees.
"""

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tools.safe_eval import datetime, safe_eval, time
from odoo.tools.view_validation import get_expression_field_names

# The menus of the suite hang under Helpdesk; the Sales menus of the hours bank are
# taken by their module.
ROOT_MENU = "helpdesk_mgmt.helpdesk_ticket_main_menu"
SUITE_PREFIX = "qubiq_"
SUBVIEW_TAGS = ("tree", "kanban", "form")
# A business refusal is an answer; an access error (a UserError too) or a crash is
# a failure.
ANSWERS = (UserError, ValidationError)
FAILURES = (AccessError, MissingError)


def failure(label, error):
    """One line per failure: the error's first line is enough to find it."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{label}: {type(error).__name__}: {first_line}"


def _hours_dashboard(env):
    env["qubiq.hours.dashboard"].hours_dashboard(period="this_year")
    env["qubiq.hours.dashboard"].hours_dashboard(period="this_year", mine=True)


# Client actions: tag -> the RPC calls their component makes on opening.
CLIENT_ACTIONS = {"qubiq_hours_bank.dashboard": _hours_dashboard}


def eval_context(env, record_values=None):
    user = env.user
    values = {
        "uid": user.id,
        "user": user,
        "time": time,
        "datetime": datetime,
        "relativedelta": relativedelta,
        # the wrapped modules safe_eval accepts (a raw module is refused, and
        # every expression would then silently fall back to its default)
        "context_today": datetime.date.today,
        "current_date": time.strftime("%Y-%m-%d"),
        "allowed_company_ids": env.companies.ids,
        "company_id": env.company.id,
        "company_ids": env.companies.ids,
        "active_id": False,
        "active_ids": [],
        "active_model": False,
        "context": dict(env.context),
    }
    values.update(record_values or {})
    return values


def _eval(env, expression, default):
    if not expression or not isinstance(expression, str):
        return expression or default
    try:
        return safe_eval(expression, eval_context(env))
    except Exception:  # noqa: BLE001 -- a client-side expression (parent...): skip it
        return default


def visible_menus(env):
    """Menus the user sees under Helpdesk, and the suite's menus elsewhere."""
    Menu = env["ir.ui.menu"]
    visible = Menu.browse(Menu._visible_menu_ids(debug=False)).sudo()
    root = env.ref(ROOT_MENU)
    xmlids = visible.get_external_id()
    return visible.filtered(
        lambda menu: (
            menu.parent_path.startswith(root.parent_path)
            or xmlids.get(menu.id, "").startswith(SUITE_PREFIX)
        )
    )


def specification(model, node, fields_info):
    """The ``web_read`` specification the web client builds from a view arch."""
    spec = {}
    for field_node in _own_fields(node):
        name = field_node.get("name")
        field = model._fields.get(name)
        if field is None:
            continue
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            comodel = model.env[field.comodel_name]
            subviews = [child for child in field_node if child.tag in SUBVIEW_TAGS]
            sub_spec = {"display_name": {}}
            for subview in subviews:
                sub_spec.update(specification(comodel, subview, fields_info))
            spec[name] = {"fields": sub_spec}
        else:
            spec[name] = {}
    return spec


def _own_fields(node):
    """Field nodes of ``node``, not those of the x2many subviews it contains."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _own_fields(child)


def _search_domain(env, action, search_arch, context):
    """The action's domain plus the filters its context activates by default."""
    domain = list(_eval(env, action.domain, []) or [])
    if not search_arch:
        return domain
    arch = etree.fromstring(search_arch)
    for key, value in context.items():
        if not key.startswith("search_default_") or not value:
            continue
        name = key[len("search_default_") :]
        for node in arch.iter("filter"):
            if node.get("name") == name and node.get("domain"):
                filter_domain = _eval(env, node.get("domain"), [])
                if filter_domain:
                    domain = ["&", *filter_domain, *domain] if domain else filter_domain
    return domain


def open_window_action(env, action, failures, label, limit=2):
    """Open an ``ir.actions.act_window`` as ``env.user``: views, records, groups."""
    context = _eval(env, action.context, {}) or {}
    if not isinstance(context, dict):
        context = {}
    Model = env[action.res_model].with_context(**context)
    modes = [mode.strip() for mode in (action.view_mode or "tree,form").split(",")]
    view_ids = {view.view_mode: view.view_id.id for view in action.view_ids}
    views = [(view_ids.get(mode) or False, mode) for mode in modes]
    search_view = action.search_view_id.id or False
    try:
        result = Model.get_views(
            [*views, (search_view, "search")], {"load_filters": True, "toolbar": True}
        )
    except Exception as error:  # noqa: BLE001 -- report it, go on with the next screen
        failures.append(failure(f"{label}: get_views", error))
        return
    domain = _search_domain(env, action, result["views"]["search"]["arch"], context)
    for mode in modes:
        if mode not in result["views"]:
            continue
        arch = etree.fromstring(result["views"][mode]["arch"])
        step = f"{label} [{mode}]"
        try:
            with env.cr.savepoint():
                _open_view(Model, mode, arch, domain, result, limit)
        except FAILURES as error:
            failures.append(failure(step, error))
        except ANSWERS:
            continue  # a business refusal: the screen answered
        except Exception as error:  # noqa: BLE001
            failures.append(failure(step, error))


def _open_view(Model, mode, arch, domain, result, limit):
    spec = specification(Model, arch, result["models"])
    if mode in ("tree", "kanban"):
        Model.web_search_read(domain, spec, limit=limit)
    elif mode == "form":
        records = Model.search(domain, limit=1)
        if records:
            records.web_read(spec)
        elif arch.get("create") not in ("0", "false", "False"):
            Model.onchange({}, [], spec)
    elif mode in ("pivot", "graph"):
        groupby = [
            node.get("name")
            for node in arch.iter("field")
            if node.get("type") in ("row", "col")
        ]
        measures = [
            node.get("name")
            for node in arch.iter("field")
            if node.get("type") == "measure"
        ]
        if not groupby:
            groupby = [
                node.get("name")
                for node in arch.iter("field")
                if node.get("type") != "measure"
            ][:1]
        Model.read_group(domain, [*measures, "__count"], groupby[:2], lazy=False)
    elif mode == "calendar":
        Model.search_read(domain, list(spec), limit=limit)


def open_menus(env):
    """Open every screen of the menus ``env.user`` sees; return the failures."""
    failures = []
    for menu in visible_menus(env):
        action = menu.action
        if not action:
            continue
        label = f"menu {menu.complete_name!r} ({action._name},{action.id})"
        if action._name == "ir.actions.act_window":
            open_window_action(env, action, failures, label)
        elif action._name == "ir.actions.client":
            opener = CLIENT_ACTIONS.get(action.tag)
            if opener is None:
                failures.append(f"{label}: client action {action.tag!r} not covered")
                continue
            try:
                with env.cr.savepoint():
                    opener(env)
            except Exception as error:  # noqa: BLE001
                failures.append(failure(label, error))
        elif action._name == "ir.actions.server":
            # A screen computed when opened: run it as the user, open what it returns.
            try:
                with env.cr.savepoint():
                    result = action.with_env(env).run()
                    if not isinstance(result, dict) or (
                        result.get("type") != "ir.actions.act_window"
                    ):
                        continue
                    window = env["ir.actions.act_window"].new(
                        {
                            "res_model": result["res_model"],
                            "view_mode": result.get("view_mode") or "tree,form",
                            "domain": repr(result.get("domain") or []),
                            "context": repr(result.get("context") or {}),
                        }
                    )
                    open_window_action(env, window, failures, label)
            except Exception as error:  # noqa: BLE001
                failures.append(failure(label, error))
        else:
            failures.append(f"{label}: action type not covered")
    return failures


def _record_values(record, names):
    values = {}
    for name in names:
        if name not in record._fields:
            continue
        value = record[name]
        field = record._fields[name]
        if field.type == "many2one":
            value = value.id
        elif field.type in ("one2many", "many2many"):
            value = value.ids
        values[name] = value
    return values


def visible_buttons(record, arch):
    """The object and action buttons of a form ``arch`` the record shows."""
    buttons = []
    for node in arch.iter("button"):
        if node.get("type") not in ("object", "action") or not node.get("name"):
            continue
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue  # a button of an x2many line, not of the record
        expression = node.get("invisible") or "False"
        names = get_expression_field_names(expression)
        values = eval_context(record.env, _record_values(record, names))
        try:
            hidden = safe_eval(expression, values)
        except Exception:  # noqa: BLE001 -- unknown names: shown, then tried
            hidden = False
        if not hidden:
            buttons.append(node)
    return buttons


def line_buttons(record, arch, limit=2):
    """(line, button node) for the object and action buttons of the x2many lists
    of a form ``arch`` (the lines' own buttons, such as a timesheet's stop), for
    the first ``limit`` lines of each list the user reads and on which the
    button shows."""
    pressed = []
    for field_node in arch.iter("field"):
        field = record._fields.get(field_node.get("name"))
        if field is None or field.type not in ("one2many", "many2many"):
            continue
        if any(parent.tag == "field" for parent in field_node.iterancestors()):
            continue  # a list inside a line: not shown on the record's form
        nodes = [
            node
            for subview in field_node
            if subview.tag in SUBVIEW_TAGS
            for node in subview.iter("button")
            if node.get("type") in ("object", "action") and node.get("name")
        ]
        if not nodes:
            continue
        for line in record[field.name][:limit]:
            for node in _shown_on(line, nodes):
                pressed.append((line, node))
    return pressed


def _shown_on(record, nodes):
    shown, seen = [], set()
    for node in nodes:
        expression = node.get("invisible") or "False"
        names = get_expression_field_names(expression)
        values = eval_context(record.env, _record_values(record, names))
        try:
            hidden = safe_eval(expression, values)
        except Exception:  # noqa: BLE001 -- unknown names: shown, then tried
            hidden = False
        key = (node.get("name"), node.get("type"))
        if not hidden and key not in seen:
            seen.add(key)
            shown.append(node)
    return shown


def press_buttons(record, failures, label):
    """Open ``record``'s form as its env's user and press every visible button,
    those of the record and those of its x2many lines."""
    env = record.env
    result = record.get_views([(False, "form")])
    arch = etree.fromstring(result["views"]["form"]["arch"])
    spec = specification(record, arch, result["models"])
    try:
        with env.cr.savepoint():
            record.web_read(spec)
    except Exception as error:  # noqa: BLE001
        failures.append(failure(f"{label}: open the form", error))
        return
    buttons = [(record, node) for node in visible_buttons(record, arch)]
    try:
        buttons += line_buttons(record, arch)
    except Exception as error:  # noqa: BLE001
        failures.append(failure(f"{label}: read the lines' buttons", error))
    for target, node in buttons:
        name = node.get("name")
        where = "" if target == record else f" of {target._name} line {target.id}"
        step = f"{label}: button {name!r}{where} ({node.get('string') or ''})"
        context = _eval(env, node.get("context"), {}) or {}
        if not isinstance(context, dict):
            context = {}
        try:
            with env.cr.savepoint():
                if node.get("type") == "object":
                    answer = getattr(target.with_context(**context), name)()
                else:
                    answer = env["ir.actions.actions"]._for_xml_id(name)
                _follow(env, answer, failures, step)
        except FAILURES as error:
            failures.append(failure(step, error))
        except ANSWERS:
            continue  # a business refusal: the screen answered
        except Exception as error:  # noqa: BLE001
            failures.append(failure(step, error))


def _follow(env, answer, failures, label):
    """Open the window action a button returns, as the same user."""
    if not isinstance(answer, dict) or answer.get("type") != "ir.actions.act_window":
        return
    context = answer.get("context")
    if isinstance(context, str):
        context = _eval(env, context, {})
    Model = env[answer["res_model"]].with_context(**(context or {}))
    views = answer.get("views") or [
        (False, mode) for mode in answer.get("view_mode", "form").split(",")
    ]
    result = Model.get_views(list(views))
    for _view_id, mode in views:
        arch = etree.fromstring(result["views"][mode]["arch"])
        spec = specification(Model, arch, result["models"])
        if mode == "form":
            if answer.get("res_id"):
                Model.browse(answer["res_id"]).web_read(spec)
            else:
                Model.onchange({}, [], spec)
        elif mode in ("tree", "kanban"):
            domain = answer.get("domain") or []
            if isinstance(domain, str):
                domain = _eval(env, domain, [])
            Model.web_search_read(domain, spec, limit=2)
