"""Run outputs: summary, plots and atomic writing."""
