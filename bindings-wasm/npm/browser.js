// Entry point for browsers and bundlers: fetches and instantiates the module once, on import.
import init from "./coachflow.js";

await init({ module_or_path: new URL("./coachflow_bg.wasm", import.meta.url) });

export {
  Engagement, version, schema, CoachflowError,
  responsibilities, scriptGuide, partnershipPrompts, partneringSignals, processPhases, xstateMachine,
} from "./coachflow.js";
