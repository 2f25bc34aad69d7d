// Entry point for node: instantiates the module synchronously from the file next to this one.
import { readFileSync } from "node:fs";
import { initSync } from "./coachflow.js";

initSync({ module: readFileSync(new URL("./coachflow_bg.wasm", import.meta.url)) });

export {
  Engagement, version, schema, CoachflowError,
  responsibilities, scriptGuide, partnershipPrompts, partneringSignals, processPhases, xstateMachine,
} from "./coachflow.js";
