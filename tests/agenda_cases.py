"""Small rule bases that stress experta's agenda, run in a subprocess per hash seed.

``python agenda_cases.py CASE STRATEGY`` prints what the case observed, one line.
CASE is ``guarded`` or ``sudoku``; STRATEGY is ``project`` (the engine every
Tahaluf rule runs on) or ``upstream`` (experta's own DepthStrategy, the control
that shows each case really catches the bug).
"""

from __future__ import annotations

import sys

from tahaluf.experta_compat import AS, MATCH, NOT, Fact, KnowledgeEngine, Rule, _UpstreamEngine


def engine_base(strategy: str) -> type:
    return {"project": KnowledgeEngine, "upstream": _UpstreamEngine}[strategy]


# 1. Three plain rules and one guarded by NOT(Block()) match one fact at one salience;
#    a rule of higher salience declares Block(), so the guarded one must never fire.

class Item(Fact):
    pass


class Block(Fact):
    pass


def guarded(strategy: str) -> str:
    class Guarded(engine_base(strategy)):
        @Rule(Item(), salience=10)
        def declare_block(self):
            self.fired.append("block")
            self.declare(Block())

        @Rule(Item())
        def plain_a(self):
            self.fired.append("a")

        @Rule(Item())
        def plain_b(self):
            self.fired.append("b")

        @Rule(Item())
        def plain_c(self):
            self.fired.append("c")

        @Rule(Item(), NOT(Block()))
        def guarded_by_block(self):
            self.fired.append("guarded")

    engine = Guarded()
    engine.fired = []
    engine.reset()
    engine.declare(Item())
    engine.run()
    return ",".join(engine.fired)


# 2. Sudoku by constraint propagation, written to crowd the agenda. Candidates are
#    retracted as peers are solved; each cell's state is a fact that placement
#    modifies (retract and re-declare). Every candidate is matched at one salience by
#    three plain observer rules and by the placement rules guarded by NOT(Solved(cell)):
#    once a cell is solved, its other candidates' placements must leave the agenda
#    while their observers stay. A stale placement fires on a solved cell: "conflict".

PUZZLE = (
    "53..7...."
    "6..195..."
    ".98....6."
    "8...6...3"
    "4..8.3..1"
    "7...2...6"
    ".6....28."
    "...419..5"
    "....8..79"
)
SOLUTION = (
    "534678912"
    "672195348"
    "198342567"
    "859761423"
    "426853791"
    "713924856"
    "961537284"
    "287419635"
    "345286179"
)
HOUSES = ("row", "column", "box")


class Candidate(Fact):
    pass


class Solved(Fact):
    pass


class CellState(Fact):
    pass


def _eliminate(name: str, *same: str):
    """Solving a cell removes its value from the candidates of the peers sharing ``same``."""
    houses = {house: getattr(MATCH, house) for house in same}

    @Rule(Solved(value=MATCH.value, **houses), AS.candidate << Candidate(value=MATCH.value, **houses),
          salience=10)
    def eliminate(self, candidate):
        self.retract(candidate)

    eliminate.__name__ = name
    return eliminate


def _observe(name: str):
    @Rule(Candidate())
    def observe(self):
        self.observed += 1

    observe.__name__ = name
    return observe


def _place(self, row, column, box, value):
    state = self.cells[(row, column)]
    if state["value"] is not None:
        self.conflicts += 1
    self.declare(Solved(row=row, column=column, box=box, value=value))
    self.cells[(row, column)] = self.modify(state, value=value)


def _placement(name: str, *unique_in: str):
    """Place a value that is the cell's last candidate, or has no other place in its row (column)."""
    if unique_in:  # "row": no other cell of the row (another column) still has the value
        house = unique_in[0]
        across = "column" if house == "row" else "row"
        alone = NOT(Candidate(**{house: getattr(MATCH, house), across: ~getattr(MATCH, across)},
                              value=MATCH.value))
    else:
        alone = NOT(Candidate(row=MATCH.row, column=MATCH.column, value=~MATCH.value))

    @Rule(Candidate(row=MATCH.row, column=MATCH.column, box=MATCH.box, value=MATCH.value), alone,
          NOT(Solved(row=MATCH.row, column=MATCH.column)))
    def place(self, row, column, box, value):
        _place(self, row, column, box, value)

    place.__name__ = name
    return place


@Rule(Solved(row=MATCH.row, column=MATCH.column), AS.candidate << Candidate(row=MATCH.row, column=MATCH.column),
      salience=-10)
def clear_solved_cell(self, candidate):
    self.retract(candidate)


def sudoku(strategy: str) -> str:
    rules = [_eliminate(f"eliminate_in_{h}", h) for h in HOUSES]
    # Redundant special cases: a peer in one's row *and* box is matched by three rules.
    rules += [_eliminate("eliminate_in_row_of_box", "row", "box"),
              _eliminate("eliminate_in_column_of_box", "column", "box")]
    rules += [_observe(f"observe_{n}") for n in ("a", "b", "c")]
    rules += [_placement("place_naked_single")]
    rules += [_placement(f"place_hidden_single_in_{h}", h) for h in ("row", "column")]
    members = {rule.__name__: rule for rule in rules}
    members["clear_solved_cell"] = clear_solved_cell
    Solver = type("Solver", (engine_base(strategy),), members)
    engine = Solver()
    engine.observed = engine.conflicts = 0
    engine.cells = {}
    engine.reset()
    for index, char in enumerate(PUZZLE):
        row, column = divmod(index, 9)
        box = (row // 3) * 3 + column // 3
        value = None if char == "." else int(char)
        engine.cells[(row, column)] = engine.declare(CellState(row=row, column=column, value=value))
        if value:
            engine.declare(Solved(row=row, column=column, box=box, value=value))
        else:
            engine.declare(*(Candidate(row=row, column=column, box=box, value=v) for v in range(1, 10)))
    try:
        engine.run(steps=200_000)
    except Exception as error:  # the upstream bug can surface as IndexError: Fact not found
        return f"error {type(error).__name__}: {error}"
    grid = "".join(str(engine.cells[divmod(i, 9)]["value"] or ".") for i in range(81))
    if engine.conflicts:
        return f"conflict {engine.conflicts}"
    return "solved" if grid == SOLUTION else "wrong " + grid


if __name__ == "__main__":
    case, strategy = sys.argv[1], sys.argv[2]
    print({"guarded": guarded, "sudoku": sudoku}[case](strategy))
