import { listEnvs } from './envs/index';
for (const s of listEnvs()) console.log(s.id, s.family, s.observationSize, s.actionCount, s.maxEpisodeSteps, s.rewardThreshold, s.randomReturn, s.params.map(p=>p.name).join(','));
