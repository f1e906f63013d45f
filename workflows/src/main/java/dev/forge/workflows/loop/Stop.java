package dev.forge.workflows.loop;

/** Why a phase of the loop ended: a state to move to and a sentence saying why. */
record Stop(LoopState state, String reason) {}
