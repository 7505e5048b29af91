"""Privilege-escalation methods (Rhino Security Labs, pathfinding.cloud via cloudsplaining), as one table."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.models import Finding
from bot.domain.validation.action_sets import Names
from bot.domain.validation.codes import finding
from bot.domain.validation.matching import Grants

RHINO = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"
RHINO_2 = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/"
PATHS = "https://pathfinding.cloud/paths/"
PASS_ROLE = "iam:PassRole"  # noqa: S105 (an action name, not a secret)


@dataclass(frozen=True, slots=True)
class Method:
    """A set of actions that, granted together, let the holder gain permissions they were not given."""

    name: str
    actions: tuple[str, ...]
    link: str
    services: frozenset[str]
    needs: frozenset[str]  # the actions, as a set


def _m(name: str, actions: str, link: str) -> Method:
    names = tuple(actions.split())
    return Method(name, names, link, frozenset(a.partition(":")[0].lower() for a in names), frozenset(names))


# One row per method. iam:PassRole counts only when granted on roles named by a wildcard (see
# `_pass_role_is_broad`): passing one named role hands over only that role, which approvers see.
METHODS: tuple[Method, ...] = (
    # Rhino Security Labs, part 1: permissions on policies, users, groups, roles.
    _m("CreateNewPolicyVersion", "iam:CreatePolicyVersion", RHINO),
    _m("SetExistingDefaultPolicyVersion", "iam:SetDefaultPolicyVersion", RHINO),
    _m("CreateAccessKey", "iam:CreateAccessKey", RHINO),
    _m("CreateLoginProfile", "iam:CreateLoginProfile", RHINO),
    _m("UpdateLoginProfile", "iam:UpdateLoginProfile", RHINO),
    _m("AttachUserPolicy", "iam:AttachUserPolicy", RHINO),
    _m("AttachGroupPolicy", "iam:AttachGroupPolicy", RHINO),
    _m("AttachRolePolicy", "iam:AttachRolePolicy", RHINO),
    _m("PutUserPolicy", "iam:PutUserPolicy", RHINO),
    _m("PutGroupPolicy", "iam:PutGroupPolicy", RHINO),
    _m("PutRolePolicy", "iam:PutRolePolicy", RHINO),
    _m("AddUserToGroup", "iam:AddUserToGroup", RHINO),
    _m("UpdateRolePolicyToAssumeIt", "iam:UpdateAssumeRolePolicy sts:AssumeRole", RHINO),
    # Rhino, part 1: passing an existing role to a new resource.
    _m("CreateEC2WithExistingInstanceProfile", "iam:PassRole ec2:RunInstances", RHINO),
    _m("PassExistingRoleToNewLambdaThenInvoke", "iam:PassRole lambda:CreateFunction lambda:InvokeFunction", RHINO),
    _m(
        "PassExistingRoleToNewLambdaThenTriggerWithDynamo",
        "iam:PassRole lambda:CreateFunction lambda:CreateEventSourceMapping",
        RHINO,
    ),
    _m("EditExistingLambdaFunctionWithRole", "lambda:UpdateFunctionCode", RHINO),
    _m("PassExistingRoleToNewGlueDevEndpoint", "iam:PassRole glue:CreateDevEndpoint", RHINO),
    _m("UpdateExistingGlueDevEndpoint", "glue:UpdateDevEndpoint", RHINO),
    _m("PassExistingRoleToCloudFormation", "iam:PassRole cloudformation:CreateStack", RHINO),
    _m(
        "PassExistingRoleToNewDataPipeline",
        "iam:PassRole datapipeline:CreatePipeline datapipeline:PutPipelineDefinition",
        RHINO,
    ),
    # Rhino, part 2: CodeStar, Lambda layers, SageMaker.
    _m("CodeStarCreateProjectFromTemplate", "codestar:CreateProjectFromTemplate", RHINO_2),
    _m("PassExistingRoleToNewCodeStarProject", "iam:PassRole codestar:CreateProject", RHINO_2),
    _m("CodeStarCreateProjectThenAssociateTeamMember", "codestar:CreateProject codestar:AssociateTeamMember", RHINO_2),
    _m("LambdaUpdateFunctionConfigurationLayers", "lambda:UpdateFunctionConfiguration", RHINO_2),
    _m(
        "PassExistingRoleToNewSageMakerNotebook",
        "iam:PassRole sagemaker:CreateNotebookInstance sagemaker:CreatePresignedNotebookInstanceUrl",
        RHINO_2,
    ),
    _m("SageMakerPresignedUrlToExistingNotebook", "sagemaker:CreatePresignedNotebookInstanceUrl", RHINO_2),
    _m("PassExistingRoleToNewSageMakerTrainingJob", "iam:PassRole sagemaker:CreateTrainingJob", RHINO_2),
    _m("PassExistingRoleToNewSageMakerProcessingJob", "iam:PassRole sagemaker:CreateProcessingJob", RHINO_2),
    # pathfinding.cloud (as cloudsplaining knows them): ECS, CodeBuild, SSM, EC2, Glue jobs, App Runner.
    _m("PassExistingRoleToNewECSTaskViaRunTask", "iam:PassRole ecs:RegisterTaskDefinition ecs:RunTask", PATHS),
    _m("PassExistingRoleToNewECSTaskViaStartTask", "iam:PassRole ecs:RegisterTaskDefinition ecs:StartTask", PATHS),
    _m("PassExistingRoleToNewECSService", "iam:PassRole ecs:RegisterTaskDefinition ecs:CreateService", PATHS),
    _m("ECSExecuteCommandOnRunningTask", "ecs:ExecuteCommand", PATHS + "ecs-006"),
    _m(
        "PassExistingRoleToNewCodeBuildProjectThenBuild",
        "iam:PassRole codebuild:CreateProject codebuild:StartBuild",
        PATHS + "codebuild-001",
    ),
    _m(
        "PassExistingRoleToNewCodeBuildProjectThenBuildBatch",
        "iam:PassRole codebuild:CreateProject codebuild:StartBuildBatch",
        PATHS + "codebuild-004",
    ),
    _m("StartBuildWithBuildspecOverride", "codebuild:StartBuild", PATHS),
    _m("UpdateExistingCodeBuildProject", "codebuild:UpdateProject", PATHS),
    _m("SSMSendCommandToInstance", "ssm:SendCommand", PATHS),
    _m("SSMStartSessionOnInstance", "ssm:StartSession", PATHS),
    _m("EC2InstanceConnectSendSSHPublicKey", "ec2-instance-connect:SendSSHPublicKey", PATHS + "ec2instanceconnect-003"),
    _m(
        "ModifyEC2InstanceUserDataThenRestart",
        "ec2:ModifyInstanceAttribute ec2:StopInstances ec2:StartInstances",
        PATHS + "ec2-002",
    ),
    _m(
        "ModifyExistingEC2LaunchTemplate", "ec2:CreateLaunchTemplateVersion ec2:ModifyLaunchTemplate", PATHS + "ec2-004"
    ),
    _m("PassExistingRoleToNewEC2SpotInstance", "iam:PassRole ec2:RequestSpotInstances", PATHS + "ec2-003"),
    _m(
        "ExecuteCloudFormationChangeSet",
        "cloudformation:CreateChangeSet cloudformation:ExecuteChangeSet",
        PATHS + "cloudformation-005",
    ),
    _m(
        "PassExistingRoleToNewCloudFormationStackSet",
        "iam:PassRole cloudformation:CreateStackSet cloudformation:CreateStackInstances",
        PATHS + "cloudformation-003",
    ),
    _m("PassExistingRoleToNewGlueJobThenRun", "iam:PassRole glue:CreateJob glue:StartJobRun", PATHS),
    _m("PassExistingRoleToUpdatedGlueJobThenRun", "iam:PassRole glue:UpdateJob glue:StartJobRun", PATHS),
    _m("PassExistingRoleToNewAppRunnerService", "iam:PassRole apprunner:CreateService", PATHS + "apprunner-001"),
    _m("UpdateLambdaFunctionAndAddPermission", "lambda:UpdateFunctionCode lambda:AddPermission", PATHS + "lambda-005"),
    _m(
        "PassExistingRoleToNewLambdaThenAddPermission", "iam:PassRole lambda:CreateFunction lambda:AddPermission", PATHS
    ),
    _m(
        "UpdateSageMakerNotebookLifecycleConfig",
        "sagemaker:CreateNotebookInstanceLifecycleConfig sagemaker:UpdateNotebookInstance",
        PATHS + "sagemaker-005",
    ),
)


def _pass_role_is_broad(grants: Grants) -> bool:
    """PassRole on "*" or on a role pattern with a wildcard in its name."""
    for resource in grants.resources_of(PASS_ROLE):
        name = resource.rpartition("/")[2] if resource.startswith("arn:") else resource
        if "*" in name or "?" in name or resource == "*":
            return True
    return False


# Every action some method needs: a policy's grants are worked out for all of them at once.
NAMES = Names(a for method in METHODS for a in method.actions)
# The methods a set of granted actions completes, in table order (policies grant the same few sets).
_COMPLETED: dict[frozenset[str], tuple[Method, ...]] = {}
_MAX_SETS = 4096


def _completed(granted: frozenset[str]) -> tuple[Method, ...]:
    found = _COMPLETED.get(granted)
    if found is None:
        if len(_COMPLETED) >= _MAX_SETS:
            _COMPLETED.clear()
        found = _COMPLETED[granted] = tuple(m for m in METHODS if m.needs <= granted)
    return found


def check_escalation(grants: Grants) -> list[Finding]:
    """One finding per method whose actions the policy grants together (after wildcards and denies)."""
    findings: list[Finding] = []
    broad_pass_role: bool | None = None
    granted = grants.granted_among(NAMES)
    if not granted:
        return findings
    for method in _completed(granted):
        if PASS_ROLE in method.actions:
            if broad_pass_role is None:
                broad_pass_role = _pass_role_is_broad(grants)
            if not broad_pass_role:
                continue
        first = grants.granting(method.actions[-1])[0]
        findings.append(
            finding(
                "PRIVILEGE_ESCALATION",
                statement=first.ref,
                action=method.actions[-1],
                method=method.name,
                actions=" + ".join(method.actions),
                link=method.link,
            )
        )
    return findings
