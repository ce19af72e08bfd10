"""The legal-basis finder: which instruments let state A ask state B for a modality for a crime."""
