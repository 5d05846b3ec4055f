"""Regenerate demo.ipynb by running its cells on a real kernel.

Needs: pip install nbclient ipykernel matplotlib pandas
Run from this directory: python make_demo.py
"""

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# Figure layouts with GridSpec\n\n"
        "A small example notebook for `jupyter-format`: it has the outputs real notebooks have\n"
        "(printed text, a progress bar, a figure, a table and an error), so that converting it\n"
        "to `.jupyter` shows how each of them looks in plain text.\n\n"
        "The panels below follow $w_i / \\sum_j w_j$ with width ratios $w = (1, 2)$."
    ),
    new_code_cell(
        "import numpy as np\n"
        "import pandas as pd\n\n"
        "import matplotlib.pyplot as plt\n\n"
        "rng = np.random.default_rng(seed=2020)\n"
        'print("data ready")'
    ),
    new_code_cell(
        "# A progress bar redraws its line with carriage returns.\n"
        "for step in range(1, 4):\n"
        '    print(f"\\rprocessing {step}/3", end="")\n'
        "print()"
    ),
    new_code_cell(
        'fig = plt.figure(figsize=(5, 2.5), dpi=60, layout="constrained")\n'
        "grid = fig.add_gridspec(2, 2, width_ratios=[1, 2])\n"
        "left = fig.add_subplot(grid[:, 0])\n"
        "top = fig.add_subplot(grid[0, 1])\n"
        "bottom = fig.add_subplot(grid[1, 1], sharex=top)\n"
        'left.hist(rng.normal(size=500), bins=20, color="tab:blue")\n'
        'top.plot(np.cumsum(rng.normal(size=100)), color="tab:orange")\n'
        'bottom.plot(np.cumsum(rng.normal(size=100)), color="tab:green")\n'
        'left.set_title("spans both rows")\n'
        'top.set_title("shares x with the panel below")\n'
        "plt.show()"
    ),
    new_code_cell(
        "table = pd.DataFrame(\n"
        '    {"width ratio": [1, 2], "share of width": [1 / 3, 2 / 3]},\n'
        '    index=["left", "right"],\n'
        ")\n"
        "table.round(3)"
    ),
    new_code_cell(
        "# Errors keep their traceback, colours included.\nratios = [1, 2]\nratios[2]",
        metadata={"tags": ["raises-exception"]},
    ),
    new_markdown_cell(
        "Every output above is stored in the `.jupyter` file, readable line by line."
    ),
]
nb = new_notebook(
    cells=cells,
    metadata={
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
    },
)
for i, cell in enumerate(nb.cells):
    cell.id = ["intro", "setup", "progress", "figure", "table", "error", "outro"][i]
client = NotebookClient(
    nb,
    timeout=120,
    record_timing=False,
    kernel_name="python3",
    allow_errors=True,
    resources={"metadata": {"path": "."}},
)
client.execute()
nb.metadata.language_info.pop("version", None)
nbformat.write(nb, "demo.ipynb")
