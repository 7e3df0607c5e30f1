# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Overlap detection of intervention slots, in plain Python (no ORM access).

A slot is ``(key, resource, start, end)``: ``key`` names the slot (a task id),
``resource`` the technician, ``start``/``end`` any comparable values (naive UTC
datetimes in the addon). Slots are half-open intervals ``[start, end)``: one
ending at 10:00 and another starting at 10:00 touch, they do not overlap.
Slots without resource, start or end, or with ``end <= start``, never overlap.
"""

from collections import defaultdict, namedtuple

Slot = namedtuple("Slot", "key resource start end")


def _valid(slot):
    return (
        slot.resource is not None
        and slot.resource is not False
        and slot.start is not None
        and slot.start is not False
        and slot.end is not None
        and slot.end is not False
        and slot.start < slot.end
    )


def overlaps(start_a, end_a, start_b, end_b):
    """Whether ``[start_a, end_a)`` and ``[start_b, end_b)`` share an instant."""
    return start_a < end_b and start_b < end_a


def find_conflicts(slots):
    """``{key: set of keys}`` of the slots of the same resource overlapping
    each slot (a key without conflict maps to an empty set).

    A sweep per resource over the slots sorted by start: O(n log n + pairs).
    """
    slots = [Slot(*slot) for slot in slots]
    conflicts = {slot.key: set() for slot in slots}
    by_resource = defaultdict(list)
    for slot in slots:
        if _valid(slot):
            by_resource[slot.resource].append(slot)
    for resource_slots in by_resource.values():
        resource_slots.sort(key=lambda slot: (slot.start, slot.end))
        active = []  # slots started before the current one and still running
        for slot in resource_slots:
            active = [other for other in active if other.end > slot.start]
            for other in active:
                if other.key != slot.key:
                    conflicts[slot.key].add(other.key)
                    conflicts[other.key].add(slot.key)
            active.append(slot)
    return conflicts
