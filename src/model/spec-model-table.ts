// The MeshAgent generations whose ServiceSpec models meshdeploy knows, one table per generation
// (./spec-models-0.39.9.ts, ./spec-models-0.50.1.ts), and the lookup by generation. MODELS and
// API_SCOPE_PRESETS are the 0.39.9 table under the names callers have always imported. Pure: no I/O.

import { SPEC_MODELS_0_39_9 } from "./spec-models-0.39.9.js";
import { SPEC_MODELS_0_50_1 } from "./spec-models-0.50.1.js";
import type { ModelSpec, SpecGeneration, SpecModels } from "./spec-model-types.js";

export { RESERVED_ROOM_SERVICE_PORTS } from "./spec-model-types.js";
export type { ApiScopePreset, FieldSpec, FieldType, ModelSpec, Presence, SpecGeneration, SpecModels } from "./spec-model-types.js";
export { SPEC_MODELS_0_39_9, SPEC_MODELS_0_50_1 };

export { GENERATIONS as SPEC_GENERATIONS } from "./platform.js";

const BY_GENERATION: Readonly<Record<SpecGeneration, SpecModels>> = { "0.39.9": SPEC_MODELS_0_39_9, "0.50.1": SPEC_MODELS_0_50_1 };

/** The models of one MeshAgent generation. */
export function specModelsFor(generation: SpecGeneration): SpecModels {
  return BY_GENERATION[generation];
}

/** The 0.39.9 models (what meshdeploy spoke before it knew generations). */
export const MODELS: Readonly<Record<string, ModelSpec>> = SPEC_MODELS_0_39_9.models;

/** The 0.39.9 ApiScope presets: which grants each sets. */
export const API_SCOPE_PRESETS = SPEC_MODELS_0_39_9.apiScopePresets;
