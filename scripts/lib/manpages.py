#!/usr/bin/env python3
"""Writes polarisctl's manual pages (mdoc) from its command tree.

    manpages.py HELP_JSON EXIT_CODES_TXT VERSION OUTDIR

HELP_JSON is the output of `polarisctl --experimental-dump-help` (swift-argument-
parser's ToolInfoV0 schema: a `command` object with `commandName`, `abstract`,
`discussion`, `arguments`, `subcommands`, `superCommands`); EXIT_CODES_TXT is
the output of `polarisctl exit-codes`; VERSION is `polarisctl --version`. One
page is written per command: `polarisctl.1` for the root and
`polarisctl-a-b.1` for `polarisctl a b`.

A discussion's "Examples:" block (the line `Examples:` followed by indented
command lines) becomes the EXAMPLES section, shown literally; the rest of the
discussion follows the abstract in DESCRIPTION.

Sections follow mdoc's conventional order: NAME, SYNOPSIS, DESCRIPTION, then
COMMANDS, ARGUMENTS and OPTIONS, EXIT STATUS, EXAMPLES, SEE ALSO.

The output depends only on the inputs: the date on every page is the fixed
MANUAL_DATE below (mdoc requires one) and the version is the binary's.
"""

import json
import re
import sys
import textwrap
from pathlib import Path

# The date printed at the foot of every page. Fixed, so that regenerating the
# pages gives identical bytes; change it when the pages change meaningfully
# (a release), never automatically.
MANUAL_DATE = "November 28, 2026"
SECTION = 1

# MARK: - Escaping

def escape_text(text):
    """Escapes free text for a text line (never a macro line)."""
    text = text.replace("\\", "\\e")
    # Option-like words (--proto, -I) get real minus signs, so they can be
    # copied and searched for; hyphens inside words stay hyphens.
    text = re.sub(r"(?<![\w-])-+(?=[\w-])", lambda m: "\\-" * len(m.group(0)), text)
    return text


def text_lines(paragraph):
    """A paragraph as text lines: each sentence starts a new line (mdoc uses
    that to space sentences), and no line is longer than 80 bytes."""
    words = " ".join(paragraph.split())
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z'\"(])", words)
    lines = []
    for sentence in sentences:
        wrapped = textwrap.wrap(escape_text(sentence), width=78, break_long_words=False, break_on_hyphens=False)
        for line in wrapped:
            # A text line starting with a dot or quote would be read as a macro.
            lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return lines


def quoted(text):
    """A single macro argument: quoted, so words in it are never read as macros."""
    return '"' + escape_text(" ".join(text.split())).replace('"', "\\(dq") + '"'


def literal_line(line):
    """A line inside a literal display."""
    line = line.replace("\\", "\\e").replace("-", "\\-")
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


# MARK: - The command tree

def command_path(command):
    return (command.get("superCommands") or []) + [command["commandName"]]


def page_name(command):
    return "-".join(command_path(command))


def visible(items):
    return [item for item in (items or []) if item.get("shouldDisplay", True)]


def visible_subcommands(command):
    """The subcommands that get pages. The root's `help` is the argument
    parser's built-in help command: its page would only say "see --help"."""
    subs = visible(command.get("subcommands"))
    if not command.get("superCommands"):
        subs = [s for s in subs if s["commandName"] != "help"]
    return subs


def page_reference(name):
    """A reference to another polarisctl page, rendered `name(1)`. Not .Xr:
    mandoc -T lint looks .Xr targets up in the system's installed manuals,
    where these pages are not."""
    return ".Sy " + name + " Ns (" + str(SECTION) + ")"


def all_commands(root):
    """The root and every visible command below it, depth first."""
    yield root
    for sub in visible_subcommands(root):
        yield from all_commands(sub)


def split_discussion(discussion):
    """Returns (paragraphs, examples): the discussion's prose, split at blank
    lines, and the command lines of its "Examples:" block."""
    paragraphs, examples = [], []
    current, in_examples = [], False
    for raw in (discussion or "").splitlines():
        line = raw.rstrip()
        if line.strip() == "Examples:":
            if current:
                paragraphs.append(" ".join(current))
                current = []
            in_examples = True
            continue
        if in_examples:
            if line.startswith((" ", "\t")) and line.strip():
                examples.append(line.strip())
                continue
            if not line.strip():
                continue
            in_examples = False
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs, examples


def name_macro(name):
    """An argument name as mdoc: `Fl -proto`, `Fl I` (Fl adds one dash)."""
    return ("Fl -" if name["kind"] == "long" else "Fl ") + name["name"]


def value_macro(argument):
    """The `Ar value` that follows an option, or nothing for a flag."""
    if argument["kind"] != "option":
        return ""
    return " Ar " + (argument.get("valueName") or "value")


def synopsis_item(argument):
    if argument["kind"] == "positional":
        item = "Ar " + (argument.get("valueName") or "value")
    else:
        item = name_macro(argument.get("preferredName") or argument["names"][0]) + value_macro(argument)
    if argument.get("isRepeating"):
        item += " ..."
    if argument.get("isOptional", False):
        return ".Op " + item
    return "." + item


def help_text(argument):
    text = argument.get("abstract") or ""
    if argument.get("discussion"):
        text += "\n\n" + argument["discussion"]
    values = argument.get("allValues")
    if values and argument["kind"] != "flag" and not any(v in text for v in values):
        text += " One of: " + ", ".join(values) + "."
    return text


def help_lines(argument):
    lines = []
    for i, paragraph in enumerate(p for p in help_text(argument).split("\n\n") if p.strip()):
        if i:
            lines.append(".Pp")
        lines += text_lines(paragraph)
    return lines


# MARK: - Pages

def render_page(command, root, version, exit_codes):
    path = command_path(command)
    arguments = visible(command.get("arguments"))
    positionals = [a for a in arguments if a["kind"] == "positional"]
    options = [a for a in arguments if a["kind"] != "positional"]
    subcommands = visible_subcommands(command)
    paragraphs, examples = split_discussion(command.get("discussion"))
    grouped = _groups(options)

    out = [
        ".\\\" polarisctl " + version + ": written by scripts/generate-docs from the command tree; do not edit.",
        ".Dd " + MANUAL_DATE,
        ".Dt " + page_name(command).upper() + " " + str(SECTION),
        ".Os",
        ".Sh NAME",
        ".Nm " + page_name(command),
        ".Nd " + quoted((command.get("abstract") or "").rstrip(".")),
    ]

    # SYNOPSIS: the command, its subcommand slot, then its arguments.
    out += [".Sh SYNOPSIS", ".Nm " + path[0]]
    out += [".Cm " + word for word in path[1:]]
    if subcommands:
        out.append(".Ar subcommand")
    out += [synopsis_item(a) for a in options if not _is_builtin(a)]
    out += [synopsis_item(a) for a in positionals]

    out.append(".Sh DESCRIPTION")
    out += text_lines(command.get("abstract") or "")
    for paragraph in paragraphs:
        out.append(".Pp")
        out += text_lines(paragraph)

    if subcommands:
        widest = max((sub["commandName"] for sub in subcommands), key=len)
        out += [".Sh COMMANDS", ".Bl -tag -width " + (widest if len(widest) <= 12 else "Ds")]
        for sub in subcommands:
            out.append(".It Cm " + sub["commandName"])
            out += text_lines(sub.get("abstract") or "")
        out.append(".El")

    if positionals:
        out += [".Sh ARGUMENTS", ".Bl -tag -width Ds"]
        for argument in positionals:
            out.append(".It Ar " + (argument.get("valueName") or "value"))
            out += help_lines(argument)
        out.append(".El")

    if options:
        out.append(".Sh OPTIONS")
        for title, items in grouped:
            if title is not None:
                out.append(".Ss " + quoted(title + " options"))
            out.append(".Bl -tag -width Ds")
            for argument in items:
                names = " , ".join(name_macro(n) for n in argument.get("names") or [])
                out.append(".It " + names + value_macro(argument))
                out += help_lines(argument)
            out.append(".El")

    out += [".Sh EXIT STATUS", ".Bl -tag -width 64+N"]
    for code, meaning in exit_codes:
        out.append(".It " + code)
        out += text_lines(meaning)
    out.append(".El")

    if examples:
        out += [".Sh EXAMPLES", ".Bd -literal -offset indent"]
        out += [literal_line(line) for line in examples]
        out.append(".Ed")

    related = set()
    if len(path) > 1:
        parent = path[:-1]
        related.add("-".join(parent))
        related.update(page_name(s) for s in visible_subcommands(_find(root, parent)))
    related.update(page_name(s) for s in subcommands)
    related.discard(page_name(command))
    if related:
        out.append(".Sh SEE ALSO")
        names = sorted(related)
        for i, name in enumerate(names):
            out.append(page_reference(name) + (" ," if i < len(names) - 1 else ""))

    return "\n".join(out) + "\n"


def _is_builtin(argument):
    # --help and --version are shown in OPTIONS, not in every synopsis.
    return argument["kind"] == "flag" and any(
        n["name"] in ("help", "version") for n in argument.get("names") or [] if n["kind"] == "long")


def _groups(options):
    """Options by section title: the untitled group first (ending with --help
    and --version), then the titled groups in the order they first appear."""
    order, groups = [], {}
    builtins = [a for a in options if _is_builtin(a)]
    for argument in options:
        if _is_builtin(argument):
            continue
        title = argument.get("sectionTitle")
        if title not in groups:
            groups[title] = []
            order.append(title)
        groups[title].append(argument)
    if None in groups:
        order.remove(None)
        order.insert(0, None)
    result = [(title, groups[title]) for title in order]
    if builtins:
        if result and result[0][0] is None:
            result[0] = (None, result[0][1] + builtins)
        else:
            result.insert(0, (None, builtins))
    return result


def _find(root, path):
    command = root
    for name in path[1:]:
        command = next(s for s in command.get("subcommands") or [] if s["commandName"] == name)
    return command


def parse_exit_codes(text):
    """`polarisctl exit-codes` output: a code, spaces, a meaning, per line."""
    rows = []
    for line in text.splitlines():
        match = re.match(r"^(\S+)\s+(.*)$", line.strip())
        if match:
            rows.append((match.group(1), match.group(2).strip()))
    return rows


def main(argv):
    if len(argv) != 5:
        sys.exit("usage: manpages.py HELP_JSON EXIT_CODES_TXT VERSION OUTDIR")
    info = json.loads(Path(argv[1]).read_text())
    if info.get("serializationVersion") != 0:
        sys.exit("manpages.py: unsupported dump-help serializationVersion %r" % info.get("serializationVersion"))
    exit_codes = parse_exit_codes(Path(argv[2]).read_text())
    version = argv[3].strip()
    out = Path(argv[4])
    out.mkdir(parents=True, exist_ok=True)
    root = info["command"]
    for command in all_commands(root):
        (out / (page_name(command) + "." + str(SECTION))).write_text(
            render_page(command, root, version, exit_codes))


if __name__ == "__main__":
    main(sys.argv)
