"""Reports: a view-model step (viewmodel.py builds the classes of views.py) and one renderer per format.

Renderers never reason: they receive a ReportView whose lists are already
sorted, grouped, labelled and translated, and templates only loop and print.
"""
