"""BeatCast's user-interface pieces: dock widgets and the roll-call map pack layout builder."""
