# rolecall: may this member do this, here? (TARGETS.md §1)
#
# The same text for every policy set: the values live in
# data.rolecall.bundle (rolecall/bundle/data.json), written by
# `rolecall build --target opa`. Query data.rolecall.authz.allow with an
# input document {"member", "permission", "resource": {"owner", "team"},
# "level", "amount"}; data.rolecall.authz.reasons says why a request was
# refused when it is malformed or names something unknown.
package rolecall.authz

import rego.v1

default allow := false

# Allowed when the request is well formed and the member's value grants it.
allow if {
	count(reasons) == 0
	granted
}

bundle := data.rolecall.bundle

member := bundle.members[input.member]

permission := bundle.catalog[input.permission]

# The member's effective value: its own limit, else its profile's value.
value := member.limits[input.permission] if permission.kind == "limit"

value := bundle.profiles[member.profile][input.permission] if permission.kind != "limit"

# Each level's place in the catalog order, least access first.
rank[level] := i if some i, level in permission.levels

granted if {
	permission.kind == "toggle"
	value == "allow"
}

granted if {
	permission.kind == "enum"
	rank[input.level] <= rank[value]
}

# Some level at or below the member's covers the resource.
granted if {
	permission.kind == "scope"
	some i, level in permission.levels
	i <= rank[value]
	covers(level)
}

granted if {
	permission.kind == "limit"
	input.amount <= value
}

covers(level) if level == "all"

covers(level) if {
	level == "team"
	is_string(member.team)
	input.resource.team == member.team
}

covers(level) if {
	level == "own"
	input.resource.owner == input.member
}

reasons contains "unknown member" if not bundle.members[input.member]

reasons contains "unknown permission" if not bundle.catalog[input.permission]

reasons contains "missing level" if {
	permission.kind == "enum"
	not given("level")
}

reasons contains "unknown level" if {
	permission.kind == "enum"
	given("level")
	not input.level in permission.levels
}

reasons contains "missing amount" if {
	permission.kind == "limit"
	not given("amount")
}

reasons contains "bad amount" if {
	permission.kind == "limit"
	given("amount")
	not whole(input.amount)
}

# A field is given when it is present and not null.
given(field) if input[field] != null

# A non-negative integer; JSON does not tell 5 from 5.0.
whole(n) if {
	is_number(n)
	n >= 0
	floor(n) == n
}
