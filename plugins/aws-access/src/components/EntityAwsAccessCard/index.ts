export { EntityAwsAccessCard } from './EntityAwsAccessCard';
