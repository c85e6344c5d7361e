export { EntityAwsTeamAccessCard } from './EntityAwsTeamAccessCard';
