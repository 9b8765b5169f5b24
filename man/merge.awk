# awk -f merge.awk GENERATED PAGE: the page, each of its generated blocks
# (from a line '.\" BEGIN generated: ...' to '.\" END generated') replaced
# by the block of GENERATED that opens with the same line.  A block of
# GENERATED the page has no place for is an error: add its two marks where
# it belongs, and run this again.  A block of the page GENERATED no longer
# has goes.

FNR == NR {
	if ($0 ~ /^\.\\" BEGIN generated/) {
		key = $0
		order[++n] = key
	}
	block[key] = block[key] $0 "\n"
	next
}
/^\.\\" BEGIN generated/ {
	skip = 1
	if ($0 in block) {
		printf "%s", block[$0]
		used[$0] = 1
	} else
		printf "%s: %s: no longer generated, removed\n", FILENAME,
		    substr($0, 5) > "/dev/stderr"
	next
}
skip && /^\.\\" END generated/ {
	skip = 0
	next
}
!skip {
	print
}
END {
	status = 0
	for (i = 1; i <= n; i++)
		if (!(order[i] in used)) {
			printf "%s: no place for '%s': add its marks\n",
			    FILENAME, substr(order[i], 5) > "/dev/stderr"
			status = 1
		}
	exit status
}
