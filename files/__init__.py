"""Files: writing every output atomically (output.py), the director's alliance file changed one answer
at a time (alliance_file.py) and the guard that keeps a spreadsheet cell text (cells.py). Input-side
helpers with I/O, below the reasoning: reports/, screening/, web/ and the CLI all write through them."""
