// Temporal analyzers take the resolved profile values, like the image analyzers' ctx.t().
import type { Profile } from '../../config/profile.js';

export type ProfileValues = Profile['values'];
